//! One module per wizard step, named as the step is named in the UI and the CLI.

pub mod identity;
