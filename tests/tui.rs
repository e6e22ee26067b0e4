//! The reader in a real terminal.
