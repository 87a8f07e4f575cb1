package dev.multitask.shm.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Linux futexes on shared memory, through the FFM API: a thread sleeps in the kernel until
 * another process changes a 32-bit word and wakes it. Shared (not process-private) futexes,
 * so that waiters in different processes meet on the same physical page.
 *
 * <p>The handle is made on first use, when a lock is first contended: an uncontended lock never
 * calls into native code. Calling it is a restricted FFM operation: the JVM prints a warning
 * once unless native access is enabled ({@code --enable-native-access=ALL-UNNAMED}; worker
 * JVMs get it).
 */
public final class Futex {
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final long SYS_FUTEX = "aarch64".equals(System.getProperty("os.arch")) ? 98 : 202;

    private Futex() {
    }

    private static final class Holder {
        static final MethodHandle SYSCALL;

        static {
            Linker linker = Linker.nativeLinker();
            SYSCALL = linker.downcallHandle(linker.defaultLookup().find("syscall").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                    Linker.Option.firstVariadicArg(1));
        }
    }

    /**
     * The longest a waiter sleeps before looking again (for a dead owner, a timeout, an
     * interrupt): every sleep on a futex in this library is bounded by it.
     */
    public static final long CHECK_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * Sleeps while {@code word} holds {@code expected}, until {@code deadline} ({@link System#nanoTime()}
     * scale; {@code Long.MAX_VALUE} for none) but at most {@link #CHECK_NANOS}. Returns false, without
     * sleeping, when the deadline has passed; true otherwise (callers re-check their condition).
     */
    public static boolean awaitUntil(MemorySegment word, int expected, long deadline) {
        long left = deadline == Long.MAX_VALUE ? CHECK_NANOS : deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        await(word, expected, Math.min(left, CHECK_NANOS));
        return true;
    }

    /**
     * Sleeps while the word at {@code word} equals {@code expected}, at most {@code timeoutNanos};
     * returns early on a wake-up, a signal, or when the word differs (callers re-check).
     */
    public static void await(MemorySegment word, int expected, long timeoutNanos) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ts = a.allocate(16, 8);
            ts.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            ts.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            long r = (long) Holder.SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, expected, ts);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed", t);
        }
    }

    /** Wakes up to {@code n} threads (of any process) sleeping on {@code word}. */
    public static void wake(MemorySegment word, int n) {
        try {
            long r = (long) Holder.SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, n, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed", t);
        }
    }
}
