//! The terminal reader (being built).
use crate::cli::{Failure, Workspace};

pub fn run(_workspace: &Workspace) -> Result<(), Failure> {
    Err(Failure::Failed("the reader is not built yet".into()))
}
