//! Running commands: echoed before they run, failing with the step's name.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// A command run in the workspace root, with the project's tools first on `PATH`: the patched
/// wasm-bindgen CLI (`target/tools/bin`), `node_modules/.bin` (wasm-opt) and cargo's bin folder
/// (freshly installed tools).
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", path_with_tools());
    command
}

pub fn path_with_tools() -> std::ffi::OsString {
    let mut dirs = vec![
        root().join(crate::tools::TOOLS_ROOT).join("bin"),
        root().join("node_modules/.bin"),
    ];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
    {
        dirs.push(home.join("bin"));
    }
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).expect("PATH entries are valid")
}

/// A file of the repository (`path` from the workspace root), as text; `Err` names the path.
pub fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(root().join(path)).map_err(|e| format!("read {path}: {e}"))
}

/// Runs a command to completion with inherited output; `Err` names `step` on failure.
pub fn run(step: &str, command: &mut Command) -> Result<(), String> {
    println!("  $ {}", describe(command));
    let status = command
        .status()
        .map_err(|e| format!("{step}: could not start {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{step}: `{}` failed ({status})", describe(command)))
    }
}

/// Runs a command to completion and returns what it printed, standard output and standard error
/// (echoed as they were, so a step's log shows them), and whether it succeeded; `Err` only when
/// it cannot start.
pub fn capture(step: &str, command: &mut Command) -> Result<(bool, String), String> {
    println!("  $ {}", describe(command));
    let out = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{step}: could not start {:?}: {e}", command.get_program()))?;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    print!("{stdout}");
    eprint!("{stderr}");
    Ok((out.status.success(), format!("{stdout}{stderr}")))
}

/// Runs a command and returns its standard output, or `None` when it cannot run or fails.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}
