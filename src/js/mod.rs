//! The JavaScript API: a thin layer over the Rust one that converts arguments and results at
//! the boundary. Every argument is checked here, so a wrong one rejects with an
//! `AccessApiError` of kind `invalid_argument` instead of a bare `TypeError`; so is every
//! option name, so a misspelt option (`baseURL`) is an error, not a silent default.

use std::future::Future;
use std::pin::Pin;

use js_sys::{JsString, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::client::Client;
use crate::convert;
use crate::engine::{Read, Shape};
use crate::error::{self, Error};
use crate::fetch::{json_parse, Body};
use crate::key::ApiKey;
use crate::model::ExportKind;
use crate::records::{self, Supply};
use crate::text::cat;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types.d.ts");

mod options;

use options::{Options, CALL_OPTIONS, CLIENT_OPTIONS, EXPORT_OPTIONS, GET_OPTIONS};

/// A client of the Access Protocol creator API, holding one API key.
///
/// ```js
/// const client = new AccessClient(apiKey, { baseUrl: "http://127.0.0.1:8081" });
/// const user = await client.getUser();
/// ```
#[wasm_bindgen]
pub struct AccessClient {
    client: Client,
}

#[wasm_bindgen]
impl AccessClient {
    /// Makes a client. Whitespace and invisible characters around the key and a pasted
    /// `Bearer ` prefix are removed.
    ///
    /// Throws an `AccessApiError` of kind `"invalid_key"` when the key cannot be a JWT (nothing
    /// is sent), or `"invalid_argument"` for a bad or unknown option.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = apiKey, unchecked_optional_param_type = "string | null")]
        api_key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<AccessClient, JsValue> {
        // No key (`undefined` or `null`): a client for the public calls.
        let key = if api_key.is_undefined() || api_key.is_null() {
            None
        } else {
            Some(
                api_key
                    .as_string()
                    .ok_or_else(|| error::invalid_key("the API key must be a string"))?,
            )
        };
        let options = Options::new(options, CLIENT_OPTIONS, key.as_deref().unwrap_or(""))?;
        let mut builder = match &key {
            Some(key) => Client::builder(key.as_str()),
            None => Client::public_builder(),
        };
        if let Some(url) = options.string("baseUrl")? {
            builder = builder.base_url(&url);
        }
        if let Some(timeout) = options.duration("timeoutMs")? {
            builder = builder.timeout(timeout);
        }
        if let Some(retries) = options.integer("maxRetries")? {
            builder = builder.max_retries(u32::try_from(retries).unwrap_or(u32::MAX));
        }
        if let Some(bytes) = options.integer("maxCsvBytes")? {
            builder = builder.max_csv_bytes(bytes);
        }
        if let Some(bytes) = options.integer("maxJsonBytes")? {
            builder = builder.max_json_bytes(bytes);
        }
        if let Some(fetch) = options.function("fetch")? {
            builder = builder.fetch(fetch);
        }
        if let Some(listener) = options.function("onEvent")? {
            builder = builder.on_event(listener);
        }
        Ok(AccessClient {
            client: builder.build()?,
        })
    }

    /// The base URL calls go to, normalised (no trailing slash).
    #[wasm_bindgen(getter = baseUrl)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    /// Whether the client holds a key (a client made without one makes only public calls).
    #[wasm_bindgen(getter = hasKey)]
    pub fn has_key(&self) -> bool {
        self.client.has_key()
    }

    /// The active pools (`GET /pools`, public), amounts as `bigint`s.
    #[wasm_bindgen(js_name = getPools, unchecked_return_type = "Promise<Pool[]>")]
    pub fn get_pools(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::Pools, options)
    }

    /// The pools' featured scores in the featured order (`GET /pools/featured`, public).
    #[wasm_bindgen(js_name = getFeaturedPools, unchecked_return_type = "Promise<FeaturedPool[]>")]
    pub fn get_featured_pools(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::Featured, options)
    }

    /// Each pool's number of users, by pool address (`GET /pools/user_count`, public).
    #[wasm_bindgen(
        js_name = getPoolUserCounts,
        unchecked_return_type = "Promise<Record<string, number>>"
    )]
    pub fn get_pool_user_counts(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::UserCounts, options)
    }

    /// The amount locked in each pool, by pool address (`GET /pools/locked`, public).
    #[wasm_bindgen(
        js_name = getPoolLockedAmounts,
        unchecked_return_type = "Promise<Record<string, bigint>>"
    )]
    pub fn get_pool_locked_amounts(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::Locked, options)
    }

    /// Each pool's rewards, total and claimed (`GET /pools/rewards`, public).
    #[wasm_bindgen(js_name = getPoolRewards, unchecked_return_type = "Promise<PoolRewards[]>")]
    pub fn get_pool_rewards(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::Rewards, options)
    }

    /// One pool, with its e-mail subscriptions (`GET /pool/{address}`, public).
    #[wasm_bindgen(js_name = getPool, unchecked_return_type = "Promise<PoolDetails>")]
    pub fn get_pool(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::Pool(address), options)
    }

    /// What a wallet has locked in each pool now (`GET /user/{address}/pools`; needs the key).
    #[wasm_bindgen(js_name = getUserPools, unchecked_return_type = "Promise<Record<string, bigint>>")]
    pub fn get_user_pools(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::UserPools(address, ""), options)
    }

    /// What a wallet has locked forever in each pool (`GET /user/{address}/pools/forever`;
    /// needs the key).
    #[wasm_bindgen(
        js_name = getUserForeverPools,
        unchecked_return_type = "Promise<Record<string, bigint>>"
    )]
    pub fn get_user_forever_pools(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] address: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::UserPools(address, "/forever"), options)
    }

    /// The ACS token supply (`GET /token/supply/{which}`, public) as the API's decimal text,
    /// exact (`"86735581885.276672"`).
    #[wasm_bindgen(js_name = getTokenSupply, unchecked_return_type = "Promise<string>")]
    pub fn get_token_supply(
        &self,
        #[wasm_bindgen(unchecked_param_type = "TokenSupply")] which: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::Supply(which), options)
    }

    /// The past 30 days of a statistic (`GET /stats/{kind}`, public): `{ UntilDate, Vals }`,
    /// `Vals` as `get` decodes them.
    #[wasm_bindgen(js_name = getStats, unchecked_return_type = "Promise<Stats>")]
    pub fn get_stats(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StatsKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::Stats(kind), options)
    }

    /// Any path of the base URL (`"/pools?x=1"`), its JSON decoded as `JSON.parse` would,
    /// except that integers beyond ±(2^53 − 1) are `bigint`s. Sends the key only when
    /// `sendKey: true` is given.
    #[wasm_bindgen(js_name = get, unchecked_return_type = "Promise<unknown>")]
    pub fn get(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "GetOptions")] options: JsValue,
    ) -> Promise {
        self.call(Target::Any(path), options)
    }

    /// The key owner's user record (`GET /user`), as a plain object with the API's field names.
    ///
    /// Rejects with an `AccessApiError`: `"unauthorized"` for a rejected key,
    /// `"invalid_response"` for an answer that is not the documented JSON, or any kind every
    /// call has (`"network"`, `"timeout"`, `"aborted"`, `"server"`, `"rate_limited"`, …).
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<User>")]
    pub fn get_user(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let options = Options::new(options, CALL_OPTIONS, client.engine().secret())?.call()?;
            convert::to_js(&client.engine().user_with(&options).await?)
        })
    }

    /// Asks the API to prepare an export (`POST /file/{kind}`); resolves to its reference id.
    /// Retried only after a 429, or a 503 with `Retry-After`: a request refused for now.
    #[wasm_bindgen(js_name = requestExport, unchecked_return_type = "Promise<string>")]
    pub fn request_export(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let kind = export_kind(&kind)?;
            let options = Options::new(options, CALL_OPTIONS, client.engine().secret())?.call()?;
            Ok(client
                .engine()
                .request_export_with(kind, &options)
                .await?
                .into())
        })
    }

    /// Downloads a requested export (`GET /file/link/{referenceId}`): the CSV text, or `null`
    /// while the API answers 404 ("not ready yet", or no such file: the API does not tell).
    #[wasm_bindgen(js_name = downloadExport, unchecked_return_type = "Promise<string | null>")]
    pub fn download_export(
        &self,
        #[wasm_bindgen(js_name = referenceId, unchecked_param_type = "string")]
        reference_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.download(reference_id, Body::Text, options)
    }

    /// `downloadExport`, resolving to the file's bytes exactly as they arrived, as a `Blob`
    /// typed `text/csv` (for a download link, without holding the text), or `null` while 404.
    #[wasm_bindgen(
        js_name = downloadExportBlob,
        unchecked_return_type = "Promise<Blob | null>"
    )]
    pub fn download_export_blob(
        &self,
        #[wasm_bindgen(js_name = referenceId, unchecked_param_type = "string")]
        reference_id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "CallOptions")] options: JsValue,
    ) -> Promise {
        self.download(reference_id, Body::Blob, options)
    }

    /// Runs a whole export: requests it, polls until the CSV is ready (from `pollIntervalMs`,
    /// backing off), and resolves to the CSV text. `timeoutMs` bounds the whole export
    /// (`"export_timeout"`), `requestTimeoutMs` each request it makes (`"timeout"`); aborting the
    /// signal stops all further requests.
    #[wasm_bindgen(js_name = exportCsv, unchecked_return_type = "Promise<string>")]
    pub fn export_csv(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
    ) -> Promise {
        self.export(kind, Body::Text, options)
    }

    /// `exportCsv`, resolving to the file's bytes exactly as they arrived, as a `Blob` typed
    /// `text/csv`: read in chunks under the same cap, never held as one string.
    #[wasm_bindgen(js_name = exportCsvBlob, unchecked_return_type = "Promise<Blob>")]
    pub fn export_csv_blob(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExportKind")] kind: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ExportOptions")] options: JsValue,
    ) -> Promise {
        self.export(kind, Body::Blob, options)
    }
}

/// What a public or pool call asks for: its path is made, and its arguments checked, inside
/// the call's promise (so a bad one rejects), by one body shared by every such call.
enum Target {
    Pools,
    Featured,
    UserCounts,
    Locked,
    Rewards,
    Pool(JsValue),
    /// The wallet, and `""` or `"/forever"`.
    UserPools(JsValue, &'static str),
    Supply(JsValue),
    Stats(JsValue),
    Any(JsValue),
}

/// A string argument, or `invalid_argument` naming it.
fn text(value: &JsValue, what: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| error::invalid_argument(cat(&[what, " must be a string"])))
}

impl AccessClient {
    fn call(&self, target: Target, options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let engine = client.engine();
            let names = if matches!(target, Target::Any(_)) {
                GET_OPTIONS
            } else {
                CALL_OPTIONS
            };
            let table = |table| Read::Shaped(Shape::List(table));
            let (path, auth, read) = match &target {
                Target::Pools => ("/pools".into(), false, table(records::POOL_FIELDS)),
                Target::Featured => (
                    "/pools/featured".into(),
                    false,
                    table(records::FEATURED_POOL_FIELDS),
                ),
                Target::UserCounts => (
                    "/pools/user_count".into(),
                    false,
                    Read::Shaped(Shape::Map("u")),
                ),
                Target::Locked => ("/pools/locked".into(), false, Read::Shaped(Shape::Map("a"))),
                Target::Rewards => (
                    "/pools/rewards".into(),
                    false,
                    table(records::POOL_REWARDS_FIELDS),
                ),
                Target::Pool(address) => {
                    let address = text(address, "the address")?;
                    let path = cat(&["/pool/", records::checked_address(&address)?]);
                    (
                        path,
                        false,
                        Read::Shaped(Shape::Record(records::POOL_DETAILS_FIELDS)),
                    )
                }
                Target::UserPools(address, suffix) => {
                    let address = text(address, "the address")?;
                    let path = cat(&[
                        "/user/",
                        records::checked_address(&address)?,
                        "/pools",
                        suffix,
                    ]);
                    (path, true, Read::Shaped(Shape::Map("a")))
                }
                Target::Stats(kind) => {
                    let kind = text(kind, "the stats kind")?;
                    let path = cat(&["/stats/", records::checked_stats_kind(&kind)?]);
                    (
                        path,
                        false,
                        Read::Shaped(Shape::Record(records::STATS_FIELDS)),
                    )
                }
                Target::Supply(which) => {
                    let which = Supply::parse(&which.as_string().unwrap_or_default())?;
                    (
                        cat(&["/token/supply/", which.as_str()]),
                        false,
                        Read::Decimal,
                    )
                }
                Target::Any(path) => {
                    let path = text(path, "the path")?;
                    (records::checked_path(&path)?.to_owned(), false, Read::Json)
                }
            };
            let options = Options::new(options, names, engine.secret())?;
            let auth = auth || (names == GET_OPTIONS && options.boolean("sendKey")? == Some(true));
            let options = options.call()?;
            engine.read_with(&path, auth, read, &options).await
        })
    }

    fn download(&self, reference_id: JsValue, body: Body, options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let id = reference_id
                .as_string()
                .ok_or_else(|| error::invalid_argument("the reference id must be a string"))?;
            let options = Options::new(options, CALL_OPTIONS, client.engine().secret())?.call()?;
            let file = client
                .engine()
                .download_export_with(&id, body, &options)
                .await?;
            Ok(file.unwrap_or(JsValue::NULL))
        })
    }

    fn export(&self, kind: JsValue, body: Body, options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let kind = export_kind(&kind)?;
            let options =
                Options::new(options, EXPORT_OPTIONS, client.engine().secret())?.export()?;
            client.engine().export_with(kind, body, &options).await
        })
    }
}

/// Decodes a user record, as `GET /user` returns it (say, fetched by your own server), with the
/// same checks and defaults as `getUser`: from its JSON text, or from the object `JSON.parse`
/// made of it. Throws an `AccessApiError` of kind `"invalid_response"` when it is not such a
/// record.
#[wasm_bindgen(js_name = parseUser, unchecked_return_type = "User")]
pub fn parse_user(
    #[wasm_bindgen(unchecked_param_type = "string | object")] json: JsValue,
) -> Result<JsValue, JsValue> {
    let value = match json.dyn_ref::<JsString>() {
        Some(text) => json_parse(&without_bom(text))
            .map_err(|_| error::invalid_response("the answer is not valid JSON"))?,
        // Read once, as JSON data: a getter, a Proxy or a `toJSON` of the caller's runs here,
        // inside a `catch`, and never again.
        None if json.is_object() => plain_data(&json)
            .map_err(|_| error::invalid_argument("the record could not be read as JSON data"))?,
        None => {
            return Err(error::invalid_argument(
                "the record must be JSON text or the object JSON.parse made of it",
            )
            .into())
        }
    };
    Ok(convert::to_js(&convert::user_from_js(value)?)?)
}

/// `text` without a leading byte-order mark, as `getUser` reads an answer (the decoder drops it).
fn without_bom(text: &JsString) -> JsString {
    if text.char_code_at(0) == f64::from(0xFEFF) {
        text.slice(1, text.length())
    } else {
        text.clone()
    }
}

/// Decodes an API key's header and claims locally, without verifying it: only the API can
/// tell whether a key is valid. Throws an `AccessApiError` of kind `"invalid_key"` when the key
/// cannot be a JWT or its parts are not JSON.
#[wasm_bindgen(js_name = decodeApiKey, unchecked_return_type = "DecodedKey")]
pub fn decode_api_key(
    #[wasm_bindgen(js_name = apiKey, unchecked_param_type = "string")] api_key: JsValue,
) -> Result<JsValue, JsValue> {
    let raw = api_key
        .as_string()
        .ok_or_else(|| error::invalid_key("the API key must be a string"))?;
    let decoded = ApiKey::parse(&raw)?.decode()?;
    let object = |json: &str, what: &'static str| match json_parse(&JsString::from(json)) {
        Ok(value) if value.is_object() => Ok(value),
        _ => Err(error::invalid_key(what)),
    };
    let result = js_sys::Object::new();
    let header = object(&decoded.header, "the API key's header is not a JSON object")?;
    let claims = object(
        &decoded.claims,
        "the API key's claims are not a JSON object",
    )?;
    Reflect::set(&result, &"header".into(), &header)?;
    Reflect::set(&result, &"claims".into(), &claims)?;
    Ok(result.into())
}

fn promise(future: impl Future<Output = Result<JsValue, Error>> + 'static) -> Promise {
    // One boxed type for every call, so the module holds a single copy of the promise glue.
    settle(Box::pin(future))
}

fn settle(future: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { future.await.map_err(JsValue::from) })
}

#[wasm_bindgen(module = "/src/io.js")]
extern "C" {
    /// `JSON.parse(JSON.stringify(value))`; throws when that throws.
    #[wasm_bindgen(js_name = plainData, catch)]
    fn plain_data(value: &JsValue) -> Result<JsValue, JsValue>;
}

fn export_kind(kind: &JsValue) -> Result<ExportKind, Error> {
    kind.as_string()
        .ok_or_else(|| {
            error::invalid_argument(
                "the export kind must be \"emails\", \"supporters\" or \"rewards\"",
            )
        })?
        .parse()
}
