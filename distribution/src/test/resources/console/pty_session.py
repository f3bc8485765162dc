"""Runs a command on a fresh pseudo-terminal, as if a person sat at a terminal of COLUMNS x ROWS.

usage: pty_session.py COLUMNS ROWS COMMAND [ARGUMENTS...]

What arrives on this script's standard input is typed on the terminal (bytes as they are: "\\x03" is
Ctrl-C, "\\x1b[A" the Up arrow); what the command writes to the terminal comes out on standard output.
Exits with the command's exit status (128 + N if a signal N ended it). The end of standard input does
not end the command.
"""
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios

TERMINAL_SIGNALS = {signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP, signal.SIGHUP, signal.SIGWINCH, signal.SIGCONT,
                    signal.SIGPIPE, signal.SIGXFSZ}


def main():
    columns, rows, command = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    pid, master = pty.fork()
    if pid == 0:
        # as at a terminal: no signal blocked or ignored because of whatever started this script (a
        # test JVM's thread, a background job); else Ctrl-C on the terminal might never reach the command
        inherited = signal.pthread_sigmask(signal.SIG_SETMASK, [])
        if inherited & TERMINAL_SIGNALS:
            print("pty_session: unblocked " + ", ".join(sorted(s.name for s in inherited & TERMINAL_SIGNALS)),
                  file=sys.stderr)
        for number in TERMINAL_SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        os.execvp(command[0], command)
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    stdin = sys.stdin.fileno()
    stdout = sys.stdout.fileno()
    inputs = [master, stdin]
    while True:
        readable, _, _ = select.select(inputs, [], [])
        if master in readable:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the command closed the terminal
                data = b""
            if not data:
                break
            os.write(stdout, data)
        if stdin in readable:
            data = os.read(stdin, 65536)
            if data:
                os.write(master, data)
            else:
                inputs.remove(stdin)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.waitstatus_to_exitcode(status) if os.waitstatus_to_exitcode(status) >= 0
             else 128 - os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
