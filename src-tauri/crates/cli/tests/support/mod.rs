//! Running the built `wxmc` as a user would: arguments, standard input, and the exit
//! status and both output streams, plus WeChat's published signing example.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The demo key of WeChat's signing example (security rules, 4_3).
pub const DEMO_KEY: &str = "192006250b4c09247ec02edce69f6a2d";

/// The fields of WeChat's signing example, as `name=value` lines.
pub const EXAMPLE_LINES: &str =
    "appid=wxd930ea5d5a258f4f\nmch_id=10000100\ndevice_info=1000\nbody=test\nnonce_str=ibuaiVcKdpRxkhJA\n";

pub const EXAMPLE_MD5: &str = "9A0A8659F005D6984697E2CA0A9CF3B7";
pub const EXAMPLE_HMAC: &str = "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6";

/// One finished run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output
                .status
                .code()
                .expect("wxmc ended without an exit code"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// Builds a `wxmc` command that inherits no API key or data folder from the environment.
pub fn wxmc() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_wxmc"));
    command
        .env_remove("WXMC_API_KEY")
        .env_remove("WXMC_DATA_DIR");
    command
}

/// Runs `wxmc ARGS` with `stdin` as standard input.
pub fn run(args: &[&str], stdin: &[u8]) -> Run {
    run_command(wxmc().args(args), stdin)
}

pub fn run_command(command: &mut Command, stdin: &[u8]) -> Run {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wxmc starts");
    let written = child.stdin.take().expect("stdin is piped").write_all(stdin);
    // A run that fails on its options exits before reading its input.
    if let Err(error) = written {
        assert_eq!(
            error.kind(),
            std::io::ErrorKind::BrokenPipe,
            "write stdin: {error}"
        );
    }
    child.wait_with_output().expect("wxmc finishes").into()
}

/// Returns the shared fixtures folder beside the repository, when this machine has it.
pub fn fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/fixtures");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} is absent, so this test is skipped", dir.display());
        None
    }
}
