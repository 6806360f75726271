//! The body of the `gzip` fault: a CSV of exactly `bytes` bytes once decoded, sent with
//! `Content-Encoding: gzip`, streamed and never built whole (up to 1 GiB decoded).
//!
//! Decoded, the body is the e-mails export's header row followed by a block of rows repeated
//! and cut at `bytes`. Each distinct piece (the header row, the block, the last partial block)
//! is deflated once by its own compressor and flushed to a byte boundary, so the pieces can be
//! sent one after another, the block as many times as needed; a final empty block and the gzip
//! trailer follow. The trailer's CRC-32 is combined from the pieces' CRCs, so its cost does not
//! grow with the size. The compressed length is known before the first byte is sent.
//!
//! The block is either about 256 KiB of varied generated rows, which deflate about 2:1 (so the
//! bytes the sandbox wrote show how far a client read), or with `bomb` one row repeated, about
//! 300:1 (1 GiB decodes from under 4 MiB, which socket buffers mostly hold at once).

use std::io;
use std::sync::OnceLock;

use access_creator_api::ExportKind;
use bytes::Bytes;
use crc32fast::Hasher;
use flate2::{Compress, Compression, FlushCompress};

use crate::csv::CsvSpec;

/// The gzip header: magic, deflate, no flags, no modification time, no extra flags, unknown OS.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// A final, empty deflate block with fixed Huffman codes (BFINAL=1, BTYPE=01, end of block).
const FINAL_EMPTY_BLOCK: [u8; 2] = [0x03, 0x00];
/// The row a `bomb` block repeats.
const BOMB_ROW: &[u8] =
    b"bomb@example.com,6anbDQNCcVh2f6okexjaX1VGj6tEnizJ1kV5UTBS8Zhi,Gzip Bomb,2024-01-01T00:00:00Z\r\n";

/// A deflated piece of the decoded content and its CRC-32.
#[derive(Clone)]
struct Piece {
    deflated: Bytes,
    crc: Hasher,
}

impl Piece {
    fn new(data: &[u8]) -> io::Result<Piece> {
        // A sync flush ends on a byte boundary without ending the stream; this compressor saw
        // nothing before `data`, so the piece refers to nothing outside itself. It is done in one
        // call, into room for the worst case (stored blocks: 5 bytes per 64 KiB, and the flush's
        // empty block): flate2's writer, flushing through its 32 KiB buffer, lost the last bytes
        // of some sizes (97,989 bytes of the varied block decoded to 97,987).
        let mut compress = Compress::new(Compression::best(), false);
        let mut deflated = Vec::with_capacity(data.len() + data.len() / 1024 + 64);
        compress.compress_vec(data, &mut deflated, FlushCompress::Sync)?;
        if compress.total_in() != data.len() as u64 || deflated.len() == deflated.capacity() {
            return Err(io::Error::other(
                "deflate did not take the whole piece in one call",
            ));
        }
        let deflated = Bytes::from(deflated);
        let mut crc = Hasher::new();
        crc.update(data);
        Ok(Piece { deflated, crc })
    }
}

/// The decoded pieces: the header row and the repeated block, varied or `bomb`.
struct Source {
    header: Vec<u8>,
    header_piece: Piece,
    block: Vec<u8>,
    block_piece: Piece,
}

fn source(bomb: bool) -> io::Result<&'static Source> {
    static VARIED: OnceLock<Source> = OnceLock::new();
    static BOMB: OnceLock<Source> = OnceLock::new();
    let cell = if bomb { &BOMB } else { &VARIED };
    if let Some(source) = cell.get() {
        return Ok(source);
    }
    let file = CsvSpec {
        kind: ExportKind::Emails,
        rows: 2400,
        seed: 0x6219,
        hostile: false,
    }
    .to_vec();
    let header_end = file
        .windows(2)
        .position(|w| w == b"\r\n")
        .map_or(file.len(), |i| i + 2);
    let (header, rows) = file.split_at(header_end);
    let block = if bomb {
        BOMB_ROW.repeat(1024 * 1024 / BOMB_ROW.len())
    } else {
        rows.to_vec()
    };
    let source = Source {
        header_piece: Piece::new(header)?,
        header: header.to_vec(),
        block_piece: Piece::new(&block)?,
        block,
    };
    Ok(cell.get_or_init(|| source))
}

/// A gzip body whose decoded content is `decoded` bytes of CSV.
pub struct GzipCsv {
    first: Piece,
    block: Bytes,
    repeats: u64,
    last: Option<Piece>,
    trailer: [u8; 10],
}

impl GzipCsv {
    /// The body for `decoded` bytes, varied or `bomb`.
    ///
    /// # Errors
    ///
    /// Only if deflating fails, which it does not when writing to memory.
    pub fn new(decoded: u64, bomb: bool) -> io::Result<GzipCsv> {
        let source = source(bomb)?;
        let header_len = source.header.len() as u64;
        let (first, rest) = if decoded < header_len {
            (Piece::new(&source.header[..decoded as usize])?, 0)
        } else {
            (source.header_piece.clone(), decoded - header_len)
        };
        let block_len = source.block.len() as u64;
        let repeats = rest / block_len;
        let partial = (rest % block_len) as usize;
        let last = match partial {
            0 => None,
            n => Some(Piece::new(&source.block[..n])?),
        };
        let mut crc = first.crc.clone();
        crc.combine(&repeated(&source.block_piece.crc, repeats));
        if let Some(last) = &last {
            crc.combine(&last.crc);
        }
        let mut trailer = [0u8; 10];
        trailer[..2].copy_from_slice(&FINAL_EMPTY_BLOCK);
        trailer[2..6].copy_from_slice(&crc.finalize().to_le_bytes());
        // ISIZE: the decoded length modulo 2^32, as gzip defines it.
        trailer[6..].copy_from_slice(&(decoded as u32).to_le_bytes());
        Ok(GzipCsv {
            first,
            block: source.block_piece.deflated.clone(),
            repeats,
            last,
            trailer,
        })
    }

    /// The body's length as sent (compressed), header and trailer included.
    pub fn len(&self) -> u64 {
        GZIP_HEADER.len() as u64
            + self.first.deflated.len() as u64
            + self.repeats * self.block.len() as u64
            + self.last.as_ref().map_or(0, |p| p.deflated.len() as u64)
            + self.trailer.len() as u64
    }

    /// The body, piece by piece.
    pub fn chunks(self) -> impl Iterator<Item = Bytes> + Send + 'static {
        let mut head = GZIP_HEADER.to_vec();
        head.extend_from_slice(&self.first.deflated);
        let block = self.block;
        std::iter::once(Bytes::from(head))
            .chain((0..self.repeats).map(move |_| block.clone()))
            .chain(self.last.map(|p| p.deflated))
            .chain(std::iter::once(Bytes::copy_from_slice(&self.trailer)))
    }
}

/// The CRC state of `piece` repeated `times` times (by doubling: log2(times) combines).
fn repeated(piece: &Hasher, times: u64) -> Hasher {
    let mut result = Hasher::new();
    let mut power = piece.clone();
    let mut left = times;
    while left > 0 {
        if left & 1 == 1 {
            result.combine(&power);
        }
        let twice = power.clone();
        power.combine(&twice);
        left >>= 1;
    }
    result
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use flate2::read::GzDecoder;
    use proptest::prelude::*;

    use super::*;

    fn gunzip(decoded: u64, bomb: bool) -> (u64, Vec<u8>) {
        let body = GzipCsv::new(decoded, bomb).unwrap();
        let announced = body.len();
        let sent: Vec<u8> = body.chunks().flat_map(|c| c.to_vec()).collect();
        assert_eq!(
            sent.len() as u64,
            announced,
            "the announced length is the sent length"
        );
        let mut out = Vec::new();
        // GzDecoder checks the trailer's CRC-32 and ISIZE.
        GzDecoder::new(&sent[..]).read_to_end(&mut out).unwrap();
        (announced, out)
    }

    #[test]
    fn edges_decode_to_exactly_the_size_asked() {
        let source = source(false).unwrap();
        let header = source.header.len() as u64;
        let block = source.block.len() as u64;
        for decoded in [
            0,
            1,
            header - 1,
            header,
            header + 1,
            header + block,
            header + 2 * block + 7,
            // A partial block whose sync flush flate2's writer once left incomplete.
            header + 97_989,
        ] {
            for bomb in [false, true] {
                let (_, out) = gunzip(decoded, bomb);
                assert_eq!(out.len() as u64, decoded, "{decoded} {bomb}");
                assert!(out.starts_with(&source.header[..decoded.min(header) as usize]));
            }
        }
    }

    #[test]
    fn a_gibibyte_is_small_when_sent() {
        let varied = GzipCsv::new(1 << 30, false).unwrap().len();
        let bomb = GzipCsv::new(1 << 30, true).unwrap().len();
        assert!(varied < (1 << 30) * 2 / 3, "{varied}");
        // The README's number: 1 GiB from under 4 MiB.
        assert!(bomb < 4 << 20, "{bomb}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Whatever the size, the body decodes (CRC and length checked) to exactly that many
        /// bytes of the header row followed by the repeated block.
        #[test]
        fn decodes_to_the_header_and_repeated_rows(decoded in 0u64..1_500_000, bomb: bool) {
            let source = source(bomb).unwrap();
            let (announced, out) = gunzip(decoded, bomb);
            prop_assert_eq!(out.len() as u64, decoded);
            let mut expected = source.header.clone();
            while (expected.len() as u64) < decoded {
                expected.extend_from_slice(&source.block);
            }
            expected.truncate(decoded as usize);
            prop_assert!(out == expected);
            let bound = if bomb { decoded / 100 } else { decoded * 3 / 4 };
            prop_assert!(announced <= bound + 4096, "{} for {}", announced, decoded);
        }
    }
}
