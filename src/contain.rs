//! Containing panics from third-party code (tantivy's query parser and readers have known panics on
//! hostile input and damaged files) so that they become errors, and telling the binary's panic hook that a
//! panic is being contained, so that it stays quiet about it.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    static CONTAINING: Cell<u32> = const { Cell::new(0) };
}

/// Runs `f`, turning a panic into `Err` with its message.
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CONTAINING.with(|c| c.set(c.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(c.get() - 1));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned())
    })
}

/// Whether the current thread is inside [`contain`] (a panic hook should then say nothing).
pub fn is_containing() -> bool {
    CONTAINING.with(|c| c.get() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_errors() {
        assert_eq!(contain(|| 3), Ok(3));
        let err = contain(|| -> u8 { panic!("boom {}", 1) }).unwrap_err();
        assert_eq!(err, "boom 1");
        assert!(!is_containing());
    }
}
