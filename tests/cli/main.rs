//! The `aws-setup` binary, spawned as a user would run it, against moto.

mod status;

use std::process::Command;

pub fn aws_setup() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aws-setup"));
    cmd.env_remove("AWS_PROFILE")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}
