//! The terminal put back when the process aborts. An allocation that fails (out of memory), a stack
//! overflow, or any `abort()` ends the process with `SIGABRT` without unwinding, so neither the panic hook
//! nor the terminal guard's drop runs; without this the shell would be left in raw mode on the alternate
//! screen with mouse reporting on. A `SIGABRT` handler restores the terminal settings saved before the
//! reader took the terminal, writes the sequences that leave the alternate screen, turn mouse reporting
//! and bracketed paste off and show the cursor, says one line, and lets the signal end the process as it
//! would have (exit status 134). Only async-signal-safe calls (`tcsetattr`, `write`, `signal`, `raise`)
//! are made in the handler. `SIGKILL` (the kernel's out-of-memory killer) cannot be caught by any
//! program: `reset` restores the terminal then.

#[cfg(unix)]
mod unix {
    use std::sync::OnceLock;

    /// The terminal's settings before raw mode, and the descriptor they belong to.
    static SAVED: OnceLock<(libc::c_int, libc::termios)> = OnceLock::new();

    /// Mouse reporting (every mode crossterm enables) and bracketed paste off, the cursor shown, the
    /// alternate screen left; then the line that says what happened.
    const RESTORE: &[u8] = b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l\r\nnewsgloss aborted (SIGABRT: out of memory?); terminal restored\r\n";

    /// Saves the terminal's settings and installs the handler; call before raw mode is entered.
    pub fn arm() {
        let fd = libc::STDIN_FILENO;
        // SAFETY: `termios` is plain data that tcgetattr fills; it is only read when the call succeeded.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::isatty(fd) } != 1 || unsafe { libc::tcgetattr(fd, &mut termios) } != 0 {
            return;
        }
        if SAVED.set((fd, termios)).is_err() {
            return;
        }
        // SAFETY: the handler only makes async-signal-safe calls and reads `SAVED`, which is set above,
        // before the handler can run, and never written again.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_abort as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = libc::SA_RESETHAND;
            libc::sigaction(libc::SIGABRT, &action, std::ptr::null_mut());
        }
    }

    extern "C" fn on_abort(signal: libc::c_int) {
        // SAFETY: tcsetattr, write, signal and raise are async-signal-safe; SAVED was set before the
        // handler was installed.
        unsafe {
            if let Some((fd, termios)) = SAVED.get() {
                libc::tcsetattr(*fd, libc::TCSANOW, termios);
            }
            libc::write(libc::STDOUT_FILENO, RESTORE.as_ptr().cast(), RESTORE.len());
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

/// Makes an abort restore the terminal (see the module's text); a no-op where there is no terminal.
pub fn arm() {
    #[cfg(unix)]
    unix::arm();
}
