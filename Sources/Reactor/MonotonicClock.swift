import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: for deadlines and durations, which wall-clock jumps must not move.
public enum MonotonicClock {
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
