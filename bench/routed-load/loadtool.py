#!/usr/bin/env python3
"""Helpers of the routed-call load benchmark (run.sh): the generated ccsip configuration, the
CTI client that logs the agents in, and the summaries of SIPp's statistics files.

  loadtool.py config --agents N --switch-port P [--log-level L] [--t1 MS] [--t4 MS]
  loadtool.py login --port P --agents N [--stay]
  loadtool.py rtt FILE...            # count mean p50 p99 max of SIPp -trace_rtt files (ms)
  loadtool.py stat FILE              # outgoing successful failed retransmissions rate
                                     # (the last line of a SIPp -trace_stat file)
  loadtool.py free-udp-port

Numbering: agent i (0-based) is agent "5<i:05>" on extension DN "2<i:05>" (on the switch), all
in group `bench`; routing point 8000 targets that group with the longest-idle strategy.
"""

import argparse
import json
import signal
import socket
import sys
import time

ROUTING_POINT = "8000"
PASSWORD = "pw"


def agent_id(i):
    return "5%05d" % i


def agent_dn(i):
    return "2%05d" % i


def cmd_config(args):
    lines = [
        "sip:",
        "  listen:",
        "    - {address: 127.0.0.1, port: 0, transports: [udp]}",
        "  domain: bench.test",
        "  timers: {t1: %d, t2: %d, t4: %d}" % (args.t1, max(args.t1, 4000), args.t4),
        "log:",
        "  level: %s" % args.log_level,
        "switch:",
        "  address: 127.0.0.1",
        "  port: %d" % args.switch_port,
        "  trusted: [127.0.0.1]",
        "  options-keepalive: 0",
        # One presence subscription per agent extension, all made at start-up (before the calls).
        "  presence: {event: presence, expires: 3600, retry: 3600}",
        "  subscribe-rate: 1000",
        "options:",
        # No agent leaves a call unanswered here; a ring that long means the run is broken.
        "  no-answer-timeout: 30",
        "cti:",
        "  listen: {address: 127.0.0.1, port: 0}",
        "  max-queue: 1000000",
        "http:",
        "  listen: {address: 127.0.0.1, port: 0}",
        "dns:",
        '  - dn: "%s"' % ROUTING_POINT,
        "    type: routing-point",
        "    routing-point: {target-group: bench, strategy: longest-idle}",
    ]
    for i in range(args.agents):
        lines.append('  - {dn: "%s", on: switch}' % agent_dn(i))
    lines.append("agents:")
    for i in range(args.agents):
        lines.append('  - {id: "%s", password: %s, default-dn: "%s"}' %
                     (agent_id(i), PASSWORD, agent_dn(i)))
    lines.append("groups:")
    lines.append("  - name: bench")
    lines.append("    members:")
    for i in range(args.agents):
        lines.append('      - "%s"' % agent_id(i))
    sys.stdout.write("\n".join(lines) + "\n")


class Cti:
    """One CTI TCP connection, one JSON object per line each way."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buffer = b""
        self.events = 0

    def send(self, obj):
        self.sock.sendall((json.dumps(obj, separators=(",", ":")) + "\n").encode())

    def lines(self):
        data = self.sock.recv(1 << 16)
        if not data:
            raise ConnectionError("CTI connection closed by the server")
        self.buffer += data
        *complete, self.buffer = self.buffer.split(b"\n")
        for line in complete:
            self.events += 1
            yield json.loads(line)


def cmd_login(args):
    cti = Cti(args.port)
    cti.send({"request": "OpenSession", "referenceId": 1, "applicationToken": "bench",
              "applicationName": "routed-load"})
    # Pipelined in windows so the server's per-client queue stays short.
    window = 200
    sent = 0
    logged = 0
    errors = []
    started = time.monotonic()
    while logged < args.agents:
        while sent < args.agents and sent - logged < window:
            ref = 10 + 2 * sent
            cti.send({"request": "RegisterAddress", "referenceId": ref, "thisDN": agent_dn(sent)})
            cti.send({"request": "AgentLogin", "referenceId": ref + 1, "thisDN": agent_dn(sent),
                      "agentId": agent_id(sent), "password": PASSWORD, "agentState": "Ready"})
            sent += 1
        for event in cti.lines():
            name = event.get("event")
            if name == "EventAgentLogin":
                logged += 1
            elif name == "EventError":
                errors.append(event)
                logged += 1
        if time.monotonic() - started > 120:
            sys.exit("login: timed out after %d of %d agents" % (logged, args.agents))
    if errors:
        sys.exit("login: %d errors, first: %s" % (len(errors), json.dumps(errors[0])))
    print("logged in %d agents Ready in %.1f s" % (args.agents, time.monotonic() - started),
          flush=True)
    if not args.stay:
        return
    # A desktop watching every agent DN: reads the events until SIGTERM, counting lines only
    # (no JSON decoding), so that it keeps up with thousands of calls a second on a shared core
    # (ccsip cuts a client more than 1 MiB behind).
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    cti.sock.settimeout(0.5)
    cti.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    events = cti.buffer.count(b"\n")
    buffer = bytearray(1 << 20)  # reused: a fresh 1 MiB object per read would cost more
    while not stop:
        try:
            size = cti.sock.recv_into(buffer)
        except (socket.timeout, InterruptedError):
            continue
        if size == 0:
            print("CTI connection closed by the server after %d events" % events, flush=True)
            sys.exit(1)
        events += buffer.count(b"\n", 0, size)
    print("CTI events received while watching: %d" % events, flush=True)


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(fraction * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def cmd_rtt(args):
    """count, mean, p50, p99, max of the response times in SIPp -trace_rtt files (ms)."""
    values = []
    for name in args.files:
        with open(name) as f:
            column = None
            for line in f:
                # Date_ms;response_time_ms;rtd_no (header first)
                parts = line.strip().split(";")
                if column is None:
                    column = parts.index("response_time_ms") if "response_time_ms" in parts else 1
                    continue
                try:
                    values.append(float(parts[column]))
                except (ValueError, IndexError):
                    continue
    values.sort()
    if not values:
        print("0 nan nan nan nan")
        return
    print("%d %.2f %.1f %.1f %.1f" % (len(values), sum(values) / len(values),
                                      percentile(values, 0.50), percentile(values, 0.99),
                                      values[-1]))


def cmd_stat(args):
    with open(args.file) as f:
        rows = [line.rstrip("\n").rstrip(";").split(";") for line in f if line.strip()]
    header, last = rows[0], rows[-1]
    wanted = ["OutgoingCall(C)", "SuccessfulCall(C)", "FailedCall(C)", "Retransmissions(C)"]
    out = [last[header.index(name)] if name in header else "?" for name in wanted]
    # The rate SIPp kept up while it was placing calls: the median of the per-period rates
    # (-fd 1: one row a second), the first and last periods (partial) left out. SIPp's own
    # CallRate(C) also counts the hold time after the last call and reads low.
    rates = []
    if "CallRate(P)" in header:
        column = header.index("CallRate(P)")
        for row in rows[1:]:
            try:
                rate = float(row[column])
            except (ValueError, IndexError):
                continue
            if rate > 0:
                rates.append(rate)
    if len(rates) > 2:
        rates = rates[1:-1]
    rates.sort()
    out.append("%.0f" % rates[len(rates) // 2] if rates else "0")
    print(" ".join(out))


def cmd_free_udp_port(_args):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("config")
    p.add_argument("--agents", type=int, required=True)
    p.add_argument("--switch-port", type=int, required=True)
    p.add_argument("--log-level", default="info")
    p.add_argument("--t1", type=int, default=500)
    p.add_argument("--t4", type=int, default=5000)
    p.set_defaults(run=cmd_config)
    p = sub.add_parser("login")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--agents", type=int, required=True)
    p.add_argument("--stay", action="store_true")
    p.set_defaults(run=cmd_login)
    p = sub.add_parser("rtt")
    p.add_argument("files", nargs="+")
    p.set_defaults(run=cmd_rtt)
    p = sub.add_parser("stat")
    p.add_argument("file")
    p.set_defaults(run=cmd_stat)
    p = sub.add_parser("free-udp-port")
    p.set_defaults(run=cmd_free_udp_port)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
