"""Run shinsa on a pseudo-terminal and answer its password prompts, for
test_user.sh: python3 pty_answer.py ANSWER1 ANSWER2 -- SHINSA ARGS...
Prints what the terminal showed (prompts, messages) and exits with shinsa's
status. An answer is typed only once its prompt shows, as a person would."""
import os
import pty
import select
import sys

sep = sys.argv.index("--")
answers, cmd = sys.argv[1:sep], sys.argv[sep + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(cmd[0], cmd)
seen = b""
prompts = [b"password: ", b"again: "]
while True:
    r, _, _ = select.select([fd], [], [], 20)
    if not r:
        print("pty_answer.py: no output for 20 s", file=sys.stderr)
        os.kill(pid, 9)
        break
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    seen += data
    while answers and prompts and seen.endswith(prompts[0]):
        prompts.pop(0)
        os.write(fd, answers.pop(0).encode() + b"\n")
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99)
