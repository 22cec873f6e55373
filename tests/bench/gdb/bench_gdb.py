# SPDX-License-Identifier: MIT
# \brief one session of the gdb benchmark (tests/bench/gdb/bench_gdb.run, doc/bench.md):
#        GDB's own Python runs it, `gdb -nx -batch -x bench_gdb.py <program>`
#
# It connects to the target waiting at its first instruction (gdb_monitor or
# gdbserver, at 127.0.0.1:$BENCH_GDB_PORT), continues to main, and measures,
# each action timed on its own with time.perf_counter_ns() around exactly the
# GDB command:
#   info_threads  `info threads` at a fresh stop in bench_tick, 9 threads
#   info_threads_plain  the same at the next fresh stop, frames without arguments
#                 (set print frame-arguments none, print entry-values no)
#   bt_all        `thread apply all bt` at the next fresh stop
#   info_threads_stops  `info threads` at each of $BENCH_GDB_STOPS more fresh stops in
#                 bench_tick: the session's median of them (and of GDB's CPU time)
#   hits          $BENCH_GDB_HITS `continue`s onto the breakpoint in bench_tick,
#                 a CLI `while` loop in a user-defined command
#   stepi         $BENCH_GDB_STEPS `stepi`s, a CLI `while` loop as well
#   next          $BENCH_GDB_NEXTS `next`s through the lines of bench_lines' loop (fewer
#                 than its 256), from a stop at its first line (main calls it once
#                 bench_lines_go is set), a `while` loop too; they must end in the loop
#                 (its lines from the source)
#   read          `dump binary memory` of $BENCH_GDB_BYTES of bench_buffer
#   write         `restore` of that file back into bench_buffer (then checked)
# and ends with `kill`. For the start, it prints the wall clock (time.time_ns)
# at the stop at main; the run script took it before it started GDB.
#
# Lines on stdout, for the run script: `bench-gdb: <key> <value...>`
#   begin <action>                     an action starts (names a hang)
#   main_stop_us <wall clock, us>      stopped at main
#   start_cpu_ns <ns>                  GDB's CPU time (all its threads) until then
#   <action>_ns <ns>                   an action's time
#   <action>_cpu_ns <ns>               GDB's CPU time during the action
#   failed <action> <message>          an action failed; the session goes on if it can
#   packets <action> <iterations> <sent> <kind>=<count>/<timed>/<us>,...
#                                      with $BENCH_GDB_PACKET_LOG (a file): the packets
#                                      GDB sent during the action (`set debug remote 1`)
#                                      by kind, with the median round trip (from the
#                                      packet until the next packet received, in us) of
#                                      the `timed` ones the log gave times for; the times
#                                      of the actions are left out then (logging slows GDB)
#   <action>_cpus <gdb> <peer>...       the CPU each of GDB and the stub's processes
#                                      ($BENCH_GDB_PEERS: their pids) last ran on, read
#                                      right after the action: were they on one CPU?
#                                      (info_threads_stops: as after most of its stops)
#   done                               the session ended as planned
# The output of the commands themselves goes to the log (or /dev/null), not to the pty.

import os
import re
import time

import gdb

PORT = os.environ["BENCH_GDB_PORT"]
DUMP = os.environ["BENCH_GDB_DUMP"]
# the counts: the run script sets and checks every one (its defaults are the only ones)
STEPS = int(os.environ["BENCH_GDB_STEPS"])
NEXTS = int(os.environ["BENCH_GDB_NEXTS"])
STOPS = int(os.environ["BENCH_GDB_STOPS"])
HITS = int(os.environ["BENCH_GDB_HITS"])
BYTES = int(os.environ["BENCH_GDB_BYTES"])
PACKET_LOG = os.environ.get("BENCH_GDB_PACKET_LOG", "")
PEERS = os.environ.get("BENCH_GDB_PEERS", "").split()
THREADS = ["bench-%d" % i for i in range(1, 9)]


def say(*words):
    print("bench-gdb:", *words, flush=True)


class Failed(Exception):
    """an action's result is not what it must be"""


class output_to:
    """meanwhile GDB's stdout and stderr (the debug log) go to `path`: stop events and
    the output of commands in a user-defined command go to the terminal whatever `set
    logging` and to_string say, so the files are redirected below GDB. Both go to the
    same file because `thread apply` catches its commands' debug log with their output
    and prints it on stdout. With `debug`, GDB logs every packet with a time stamp"""

    def __init__(self, path, debug=False):
        self.path = path
        self.debug = debug

    def __enter__(self):
        gdb.flush()
        self.saved = [os.dup(1), os.dup(2)]
        target = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(target, 1)
        os.dup2(target, 2)
        os.close(target)
        if self.debug:
            gdb.execute("set debug timestamp on")
            gdb.execute("set debug remote 1")

    def __exit__(self, *exception):
        if self.debug:
            gdb.execute("set debug remote 0")
        gdb.flush()
        for fd, saved in ((1, self.saved[0]), (2, self.saved[1])):
            os.dup2(saved, fd)
            os.close(saved)
        return False


# the kind of a packet: v and q packets by name (qXfer with its object, a vCont that
# range-steps as vCont;r: the `next` row compares range stepping on both sides), others
# by letter
PACKET_KIND = re.compile(r"\$(qXfer:[a-z0-9-]+|vCont;r|[vqQ][A-Za-z]+|[A-Za-z?!])")
# a line of the debug log: its time stamp (`set debug timestamp on`: seconds) and text;
# it may follow output without a line end (`info threads` prints a row in pieces), and
# the log that `thread apply` catches with its commands' output has no time stamps
LOG_LINE = re.compile(r"(?:([0-9]+\.[0-9]+) +)?\[remote\] (Sending packet|Packet received): ?(.*)")


def last_cpu(pid):
    """the CPU the process `pid` (its main thread) last ran on, or "-" if it is gone:
    field 39 of /proc/<pid>/stat, counted after the command name in parentheses"""
    try:
        with open("/proc/%s/stat" % pid) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return "-"
    return fields[39 - 3]


def cpus():
    """the CPUs GDB and the stub's processes last ran on"""
    return [last_cpu(pid) for pid in ["self"] + PEERS]


def median(values):
    if not values:
        return 0.0
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def packets_count(action, iterations):
    """counts the packets that GDB sent into the log, by kind, and sums the time from
    each until the next packet received (its round trip) where the log has both times"""
    kinds = {}  # kind -> [packets, the round trips timed, in seconds]
    sent = 0
    waiting = None  # (kind, time stamp) of the packet sent last, until its answer
    with open(PACKET_LOG, errors="replace") as log:
        for line in log:
            match = LOG_LINE.search(line)
            if not match:
                continue
            stamp = float(match.group(1)) if match.group(1) else None
            if match.group(2) == "Sending packet":
                sent += 1
                kind = PACKET_KIND.match(match.group(3))
                kind = kind.group(1) if kind else "?"
                kinds.setdefault(kind, [0, []])[0] += 1
                waiting = (kind, stamp) if stamp is not None else None
            elif waiting and stamp is not None:
                kinds[waiting[0]][1].append(stamp - waiting[1])
                waiting = None
    listed = ",".join("%s=%d/%d/%d" % (k, n, len(times), round(median(times) * 1e6))
                      for k, (n, times) in sorted(kinds.items(), key=lambda i: -i[1][0]))
    say("packets", action, iterations, sent, listed or "-")


def timed(command):
    """runs `command`, its output to the log; returns its wall time and GDB's CPU time
    in it, in ns"""
    with output_to(PACKET_LOG or os.devnull, bool(PACKET_LOG)):
        start = time.perf_counter_ns()
        cpu = time.process_time_ns()
        gdb.execute(command)
        took = time.perf_counter_ns() - start
        cpu = time.process_time_ns() - cpu
    return took, cpu


def measured(action, command, iterations=1):
    """runs `command`, its output to the log; prints its time or its packets"""
    took, cpu = timed(command)
    if PACKET_LOG:
        packets_count(action, iterations)
    else:
        say(action + "_ns", took)
        say(action + "_cpu_ns", cpu)
        say(action + "_cpus", *cpus())


def action(name, body):
    """runs one action; a failure is reported and the session goes on"""
    say("begin", name)
    try:
        body()
        return True
    except (gdb.error, Failed) as error:
        say("failed", name, str(error).replace("\n", " "))
        return False


def frame_name():
    return gdb.selected_frame().name()


def connect():
    with output_to(PACKET_LOG or os.devnull, bool(PACKET_LOG)):
        gdb.execute("target remote 127.0.0.1:" + PORT)
        gdb.execute("break main")
        gdb.execute("continue")
        stopped = time.time_ns() // 1000
        cpu = time.process_time_ns()
    if frame_name() != "main":
        raise Failed("stopped in %s, not in main" % frame_name())
    if PACKET_LOG:
        packets_count("start", 1)
    else:
        say("main_stop_us", stopped)
        say("start_cpu_ns", cpu)
        say("start_cpus", *cpus())


def to_the_loop():
    with output_to(os.devnull):
        gdb.execute("delete")
        gdb.execute("break bench_tick")
        gdb.execute("continue")
    if frame_name() != "bench_tick":
        raise Failed("stopped in %s, not in bench_tick" % frame_name())
    names = [t.name for t in gdb.selected_inferior().threads()]
    missing = [n for n in THREADS if n not in names]
    if len(names) != 1 + len(THREADS) or missing:
        raise Failed("threads %s" % names)


def fresh_stop():
    """a new stop in bench_tick, so that GDB has nothing cached"""
    with output_to(os.devnull):
        gdb.execute("continue")
    if frame_name() != "bench_tick":
        raise Failed("stopped in %s, not in bench_tick" % frame_name())


def info_threads():
    measured("info_threads", "info threads")


def info_threads_plain():
    """`info threads` at a fresh stop with frames shown without their arguments, which
    leaves GDB the same work on both sides whatever the blocked threads' innermost
    frames are: both wait in a function without arguments now (the component's in
    linux_syscall_blocking, the Linux program's in glibc's pause), but the component's
    waited in semaphore_block (-O2 -g) before, whose arguments and entry values cost GDB
    most of its time (doc/bench.md, "What GDB does with the frames")"""
    fresh_stop()
    settings = ("print frame-arguments", "print entry-values")
    saved = [gdb.parameter(name) for name in settings]
    gdb.execute("set print frame-arguments none")
    gdb.execute("set print entry-values no")
    try:
        measured("info_threads_plain", "info threads")
    finally:
        for name, value in zip(settings, saved):
            gdb.execute("set %s %s" % (name, value))


def bt_all():
    fresh_stop()
    measured("bt_all", "thread apply all bt")


def info_threads_stops():
    """`info threads` at STOPS more fresh stops, the session's median: the first of a
    session is one sample of about a millisecond, and carries GDB's first look at the
    blocked threads' frames (doc/bench.md, "The runs of stop 27"); these are what a user
    meets at every later stop. With the packets logged, one stop: the log holds one
    command. The placement reported is that of the majority of the stops: the CPUs
    read after a stop that was together if most were, else after one that was not"""
    if PACKET_LOG:
        fresh_stop()
        measured("info_threads_stops", "info threads")
        return
    walls, cpu_times = [], []
    placed = {}  # together (as the run script's `together` says) -> the CPUs after such a stop
    together = 0
    for _ in range(STOPS):
        fresh_stop()
        took, cpu = timed("info threads")
        walls.append(took)
        cpu_times.append(cpu)
        now = cpus()
        one = "-" not in now and len(set(now)) == 1
        together += one
        placed[one] = now
    say("info_threads_stops_ns", round(median(walls)))
    say("info_threads_stops_cpu_ns", round(median(cpu_times)))
    say("info_threads_stops_cpus", *placed[together * 2 > STOPS])


def hits():
    breakpoint = [b for b in gdb.breakpoints() if b.location == "bench_tick"][0]
    before = breakpoint.hit_count
    gdb.execute("define bench_hits\nset $n = %d\nwhile $n > 0\ncontinue\nset $n = $n - 1\nend\nend" % HITS)
    measured("hits", "bench_hits", HITS)
    if breakpoint.hit_count - before != HITS:
        raise Failed("%d hits, not %d" % (breakpoint.hit_count - before, HITS))


def stepi():
    gdb.execute("delete", to_string=True)
    pc = int(gdb.parse_and_eval("$pc"))
    gdb.execute("define bench_steps\nset $n = %d\nwhile $n > 0\nstepi\nset $n = $n - 1\nend\nend" % STEPS)
    measured("stepi", "bench_steps", STEPS)
    if int(gdb.parse_and_eval("$pc")) == pc:
        raise Failed("the pc did not move")


def loop_lines(function):
    """the lines of the `for` loop in `function`, from the source file GDB has for it: the
    first line from the function's own that starts with `for`, up to the line where the
    braces opened there close"""
    symbol = gdb.lookup_global_symbol(function)
    if symbol is None or symbol.symtab is None:
        raise Failed("no source of %s" % function)
    try:
        with open(symbol.symtab.fullname()) as source:
            lines = source.read().split("\n")
    except OSError as error:
        raise Failed("the source of %s: %s" % (function, error))
    first = next((n for n in range(symbol.line, len(lines) + 1)
                  if re.match(r"\s*for\b", lines[n - 1])), None)
    if first is None:
        raise Failed("no for loop in %s" % function)
    depth = 0
    for n in range(first, len(lines) + 1):
        depth += lines[n - 1].count("{") - lines[n - 1].count("}")
        if depth <= 0 and "}" in lines[n - 1]:
            return first, n
    raise Failed("the for loop of %s does not end" % function)


def next_lines():
    """`next` through bench_lines' loop (fewer than its 256 lines): a stub that announces
    range stepping (`vCont;r`) steps each line's instructions without GDB"""
    with output_to(os.devnull):
        gdb.execute("delete")
        gdb.execute("set var bench_lines_go = 1")
        gdb.execute("break bench_lines")
        gdb.execute("continue")
        gdb.execute("delete")
    if frame_name() != "bench_lines":
        raise Failed("stopped in %s, not in bench_lines" % frame_name())
    line = gdb.selected_frame().find_sal().line
    gdb.execute("define bench_nexts\nset $n = %d\nwhile $n > 0\nnext\nset $n = $n - 1\nend\nend"
                % NEXTS)
    measured("next", "bench_nexts", NEXTS)
    if frame_name() != "bench_lines" or gdb.selected_frame().find_sal().line == line:
        raise Failed("not on another line of bench_lines after the nexts")
    # fewer nexts than the loop has lines: still in it
    first, last = loop_lines("bench_lines")
    now = gdb.selected_frame().find_sal().line
    if not first <= now <= last:
        raise Failed("at line %d after the nexts, not in bench_lines' loop (lines %d to %d)"
                      % (now, first, last))


def buffer_address():
    return int(gdb.parse_and_eval("(unsigned long)&bench_buffer"))


def read():
    if os.path.exists(DUMP):
        os.remove(DUMP)
    start = buffer_address()
    measured("read", "dump binary memory %s %d %d" % (DUMP, start, start + BYTES))
    if os.path.getsize(DUMP) != BYTES:
        raise Failed("the dump has %d bytes, not %d" % (os.path.getsize(DUMP), BYTES))


def write():
    # the file, changed, so that the write is checked: every 4 KiB gets a new first byte
    with open(DUMP, "r+b") as f:
        content = bytearray(f.read())
        for at in range(0, len(content), 4096):
            content[at] ^= 0x5A
        f.seek(0)
        f.write(content)
    start = buffer_address()
    measured("write", "restore %s binary %d" % (DUMP, start))
    inferior = gdb.selected_inferior()
    for at in (0, len(content) // 2, len(content) - 4096):
        if bytes(inferior.read_memory(start + at, 4096)) != bytes(content[at : at + 4096]):
            raise Failed("bench_buffer+%d differs from what was restored" % at)


def main():
    for setting in ("pagination off", "confirm off", "width 0", "height 0"):
        gdb.execute("set " + setting)
    if not action("start", connect):
        return
    if not action("loop", to_the_loop):
        return
    for name, body in (("info_threads", info_threads), ("info_threads_plain", info_threads_plain),
                       ("bt_all", bt_all), ("info_threads_stops", info_threads_stops),
                       ("hits", hits),
                       ("stepi", stepi), ("next", next_lines), ("read", read),
                       ("write", write)):
        action(name, body)
    if os.path.exists(DUMP):
        os.remove(DUMP)
    action("kill", lambda: gdb.execute("kill", to_string=True))
    say("done")


main()
