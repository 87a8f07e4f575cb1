package dev.multitask.hazelcast;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.cp.ISemaphore;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore across the cluster's JVMs, named: the cluster counterpart of
 * {@code SharedSemaphore}, bounded or not.
 *
 * <ul>
 * <li>{@link ClusterLock.Mode#CP} (Enterprise): the CP subsystem's {@link ISemaphore}
 *     (linearizable; permits of a crashed session are released).
 * <li>{@link ClusterLock.Mode#MAP} (open-source edition): the count lives in one entry of an
 *     {@code IMap}, changed only by entry processors (atomic on the entry's owner, backed up
 *     to another member). Permits are recorded per holder; the permits of a <em>member</em>
 *     that leaves the cluster (killed, crashed) are given back by the members still there.
 *     Permits held by a client JVM that dies are not (the open-source edition tells only
 *     members about clients). On a network split each side counts on its own copy.
 * </ul>
 * Waiting acquirers are woken by an entry listener, not by polling.
 */
public final class ClusterSemaphore {
    private static final String MAP_NAME = "multitask-semaphores";
    private final String name;
    private final ISemaphore cp;
    private final IMap<String, Permits> map;
    private final UUID holder;
    private final Object wake = new Object();

    private ClusterSemaphore(HazelcastInstance hz, String name, int permits, boolean bounded) {
        this.name = Objects.requireNonNull(name, "name");
        if (permits < 0) {
            throw new IllegalArgumentException("permits must not be negative, got " + permits);
        }
        ISemaphore s = null;
        try {
            s = hz.getCPSubsystem().getSemaphore(name);
            s.init(permits);
        } catch (UnsupportedOperationException e) {
            s = null;
        }
        this.cp = s;
        this.holder = hz.getLocalEndpoint().getUuid();
        if (cp == null) {
            map = hz.getMap(MAP_NAME);
            map.putIfAbsent(name, new Permits(permits, bounded ? permits : -1));
            map.addEntryListener((EntryUpdatedListener<String, Permits>) e -> {
                synchronized (wake) {
                    wake.notifyAll();
                }
            }, name, false);
            hz.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent e) {
                }

                @Override
                public void memberRemoved(MembershipEvent e) {
                    try {
                        map.executeOnKey(name, new Reclaim(e.getMember().getUuid()));
                    } catch (RuntimeException ignored) {
                        // this instance may be shutting down too
                    }
                }
            });
        } else {
            map = null;
        }
    }

    /**
     * The semaphore named {@code name}; the first JVM to ask creates it with {@code permits}
     * (later ones share it, whatever count they pass).
     */
    public static ClusterSemaphore get(HazelcastInstance hz, String name, int permits) {
        return new ClusterSemaphore(Objects.requireNonNull(hz, "hazelcastInstance"), name, permits, false);
    }

    /** A semaphore whose {@link #release()} beyond its initial count is an error (MAP mode). */
    public static ClusterSemaphore bounded(HazelcastInstance hz, String name, int permits) {
        return new ClusterSemaphore(Objects.requireNonNull(hz, "hazelcastInstance"), name, permits, true);
    }

    public ClusterLock.Mode mode() {
        return cp != null ? ClusterLock.Mode.CP : ClusterLock.Mode.MAP;
    }

    /** Takes a permit, waiting as long as needed. */
    public void acquire() throws InterruptedException {
        if (cp != null) {
            cp.acquire();
            return;
        }
        while (!tryAcquire(Duration.ofDays(365))) {
            // keep waiting
        }
    }

    /** Takes a permit if one is free now. */
    public boolean tryAcquire() {
        return cp != null ? cp.tryAcquire() : map.executeOnKey(name, new Take(holder));
    }

    /** Takes a permit if one frees within {@code timeout}. */
    public boolean tryAcquire(Duration timeout) throws InterruptedException {
        if (cp != null) {
            return cp.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            if (map.executeOnKey(name, new Take(holder))) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (wake) {
                // the listener wakes us on every change; the timeout bounds a missed event
                wake.wait(Math.max(1, Math.min(left / 1_000_000, 500)));
            }
        }
    }

    /**
     * Returns a permit.
     *
     * @throws IllegalStateException for a bounded semaphore released more often than acquired
     */
    public void release() {
        if (cp != null) {
            cp.release();
            return;
        }
        String err = map.executeOnKey(name, new Give(holder));
        if (err != null) {
            throw new IllegalStateException(err);
        }
    }

    /** Permits free now. */
    public int availablePermits() {
        return cp != null ? cp.availablePermits() : map.get(name).available;
    }

    /** The count and who holds permits: one IMap entry. */
    static final class Permits implements Serializable {
        private static final long serialVersionUID = 1L;
        int available;
        final int bound;
        final Map<UUID, Integer> held = new HashMap<>();

        Permits(int available, int bound) {
            this.available = available;
            this.bound = bound;
        }
    }

    static final class Take implements EntryProcessor<String, Permits, Boolean> {
        private static final long serialVersionUID = 1L;
        private final UUID holder;

        Take(UUID holder) {
            this.holder = holder;
        }

        @Override
        public Boolean process(Map.Entry<String, Permits> e) {
            Permits p = e.getValue();
            if (p == null || p.available <= 0) {
                return false;
            }
            p.available--;
            p.held.merge(holder, 1, Integer::sum);
            e.setValue(p);
            return true;
        }
    }

    static final class Give implements EntryProcessor<String, Permits, String> {
        private static final long serialVersionUID = 1L;
        private final UUID holder;

        Give(UUID holder) {
            this.holder = holder;
        }

        @Override
        public String process(Map.Entry<String, Permits> e) {
            Permits p = e.getValue();
            if (p == null) {
                return "the semaphore " + e.getKey() + " does not exist";
            }
            if (p.bound >= 0 && p.available >= p.bound) {
                return "bounded semaphore " + e.getKey() + " released more often than acquired (" + p.bound + " permits)";
            }
            p.available++;
            p.held.computeIfPresent(holder, (k, n) -> n > 1 ? n - 1 : null);
            e.setValue(p);
            return null;
        }
    }

    /** Gives back the permits a departed member held. */
    static final class Reclaim implements EntryProcessor<String, Permits, Integer> {
        private static final long serialVersionUID = 1L;
        private final UUID gone;

        Reclaim(UUID gone) {
            this.gone = gone;
        }

        @Override
        public Integer process(Map.Entry<String, Permits> e) {
            Permits p = e.getValue();
            if (p == null) {
                return 0;
            }
            Integer n = p.held.remove(gone);
            if (n == null) {
                return 0;
            }
            p.available += n;
            e.setValue(p);
            return n;
        }
    }
}
