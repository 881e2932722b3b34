-- Fixed-window counters shared by every instance (RATE_LIMIT_STORE=postgres).
-- UNLOGGED: counters are cheap to lose in a crash and not worth WAL traffic.
CREATE UNLOGGED TABLE rate_limits (
    key         text PRIMARY KEY,
    count       integer NOT NULL,
    window_ends timestamptz NOT NULL
);

CREATE INDEX rate_limits_window_ends_idx ON rate_limits (window_ends);
