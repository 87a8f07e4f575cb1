package dev.multitask.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.lock.FencedLock;
import com.hazelcast.map.IMap;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * A lock across the cluster's JVMs, named: the cluster counterpart of {@code SharedLock}, a
 * {@link java.util.concurrent.locks.Lock} usable as {@code try (var held = lock.acquire()) { … }}.
 * Re-entrant per thread; only the owning thread may unlock.
 *
 * <p>What it guarantees depends on the edition, chosen at creation ({@link #mode()}):
 * <ul>
 * <li>{@link Mode#CP} (Hazelcast Enterprise with the CP subsystem): a Raft-backed
 *     {@link FencedLock}. Linearizable; survives member crashes while a majority of CP members
 *     lives; {@link #fence()} gives a monotonic fencing token to guard writes elsewhere; on a
 *     network split only the majority side can take the lock.
 * <li>{@link Mode#MAP} (the open-source edition, where the CP subsystem is a licensed
 *     feature): the lock of a key of an {@code IMap}. Mutual exclusion holds while the cluster
 *     is whole; when the member or client holding it dies, the cluster releases it (the next
 *     acquirer gets it, without being told, unlike {@code SharedLock}); if the partition's
 *     owner dies, its backup takes over the lock state. On a network split each side may grant
 *     the lock (no fencing, no quorum): guard only work that tolerates that, or use CP.
 * </ul>
 */
public final class ClusterLock implements Lock {
    /** Which Hazelcast mechanism backs the lock. */
    public enum Mode {
        /** The CP subsystem's {@code FencedLock} (Enterprise). */
        CP,
        /** An {@code IMap} key lock (open-source edition). */
        MAP
    }

    private static final String MAP_NAME = "multitask-locks";
    private final String name;
    private final FencedLock cp;
    private final IMap<String, Boolean> map;

    private ClusterLock(HazelcastInstance hz, String name) {
        this.name = Objects.requireNonNull(name, "name");
        FencedLock l = null;
        try {
            l = hz.getCPSubsystem().getLock(name);
        } catch (UnsupportedOperationException e) {
            // open-source edition: no CP subsystem
        }
        this.cp = l;
        this.map = l == null ? hz.getMap(MAP_NAME) : null;
    }

    /** The lock named {@code name} on the cluster {@code hz} belongs to (every JVM using the name shares it). */
    public static ClusterLock get(HazelcastInstance hz, String name) {
        return new ClusterLock(Objects.requireNonNull(hz, "hazelcastInstance"), name);
    }

    public String name() {
        return name;
    }

    public Mode mode() {
        return cp != null ? Mode.CP : Mode.MAP;
    }

    /** What {@link #acquire()} returns: unlocks when closed. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes the lock, waiting as long as needed; returns a guard for try-with-resources. */
    public Held acquire() {
        lock();
        return this::unlock;
    }

    @Override
    public void lock() {
        if (cp != null) {
            cp.lock();
        } else {
            map.lock(name);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        if (cp != null) {
            cp.lockInterruptibly();
        } else {
            // IMap.lock does not respond to interrupts; wait in slices so an interrupt is seen
            while (!map.tryLock(name, 100, TimeUnit.MILLISECONDS)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }

    @Override
    public boolean tryLock() {
        return cp != null ? cp.tryLock() : map.tryLock(name);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return cp != null ? cp.tryLock(time, unit) : map.tryLock(name, time, unit);
    }

    /** Takes the lock if it can within {@code timeout}. */
    public boolean tryLock(Duration timeout) throws InterruptedException {
        return tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Releases the lock.
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold it
     */
    @Override
    public void unlock() {
        if (cp != null) {
            cp.unlock();
        } else {
            map.unlock(name);
        }
    }

    /** Whether some thread of the cluster holds the lock. */
    public boolean isLocked() {
        return cp != null ? cp.isLocked() : map.isLocked(name);
    }

    /**
     * The fencing token of the current hold (CP mode only).
     *
     * @throws UnsupportedOperationException in {@link Mode#MAP}, which has no fencing
     */
    public long fence() {
        if (cp == null) {
            throw new UnsupportedOperationException("fencing tokens need the CP subsystem (Hazelcast Enterprise); this lock is an IMap key lock");
        }
        return cp.getFence();
    }

    /** Not supported: Hazelcast offers no distributed conditions in either mode. */
    @Override
    public Condition newCondition() {
        throw new UnsupportedOperationException("Hazelcast has no distributed Condition; use a ClusterQueue or a ClusterSemaphore to signal");
    }

    @Override
    public String toString() {
        return "ClusterLock[" + name + ", " + mode() + "]";
    }
}
