package dev.multitask.async;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The loop's I/O readiness poller: one {@link Selector} on a daemon thread, started when a
 * loop first uses a stream. A task that would block on a socket registers the readiness it
 * needs and waits on the library; the poller wakes it. Registrations of a cancelled wait are
 * dropped, so a cancelled read leaves the connection usable (as in asyncio).
 */
final class IoPoller implements AutoCloseable {
    /** One task waiting for one kind of readiness of one channel. */
    static final class Registration {
        final SelectableChannel channel;
        final int ops;
        final Task<?> task;
        volatile boolean done;
        volatile boolean cancelled;

        Registration(SelectableChannel channel, int ops, Task<?> task) {
            this.channel = channel;
            this.ops = ops;
            this.task = task;
        }
    }

    private final EventLoop loop;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Registration> pending = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    IoPoller(EventLoop loop) {
        this.loop = loop;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for the event loop's streams", e);
        }
        this.thread = Thread.ofPlatform().daemon().name("multitask-async-io").start(this::run);
    }

    /** Waits, without holding the loop, until {@code channel} is ready for {@code ops}. */
    void awaitReady(SelectableChannel channel, int ops, Task<?> me) {
        me.checkCancelled();
        Registration r = new Registration(channel, ops, me);
        loop.externalStarted();
        try {
            pending.add(r);
            selector.wakeup();
            while (!r.done) {
                me.checkCancelled();
                me.park();
            }
        } finally {
            if (!r.done) {
                r.cancelled = true;
                selector.wakeup();
            }
            loop.externalDone();
        }
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(1000);
                Registration r;
                while ((r = pending.poll()) != null) {
                    if (r.cancelled) {
                        continue;
                    }
                    try {
                        SelectionKey k = r.channel.keyFor(selector);
                        if (k == null || !k.isValid()) {
                            List<Registration> regs = new ArrayList<>(2);
                            regs.add(r);
                            r.channel.register(selector, r.ops, regs);
                        } else {
                            @SuppressWarnings("unchecked")
                            List<Registration> regs = (List<Registration>) k.attachment();
                            regs.add(r);
                            k.interestOps(k.interestOps() | r.ops);
                        }
                    } catch (ClosedChannelException | CancelledKeyException | IllegalArgumentException e) {
                        // the channel was closed: let the task find out when it retries its operation
                        r.done = true;
                        r.task.wake();
                    }
                }
                for (SelectionKey k : selector.selectedKeys()) {
                    @SuppressWarnings("unchecked")
                    List<Registration> regs = (List<Registration>) k.attachment();
                    int ready;
                    try {
                        ready = k.readyOps();
                    } catch (CancelledKeyException e) {
                        ready = -1;
                    }
                    int still = 0;
                    for (int i = regs.size() - 1; i >= 0; i--) {
                        Registration g = regs.get(i);
                        if (g.cancelled) {
                            regs.remove(i);
                        } else if ((g.ops & ready) != 0) {
                            regs.remove(i);
                            g.done = true;
                            g.task.wake();
                        } else {
                            still |= g.ops;
                        }
                    }
                    if (k.isValid()) {
                        k.interestOps(still);
                    }
                }
                selector.selectedKeys().clear();
                // drop interest of waits that were cancelled without their channel becoming ready
                for (SelectionKey k : selector.keys()) {
                    if (!k.isValid()) {
                        continue;
                    }
                    @SuppressWarnings("unchecked")
                    List<Registration> regs = (List<Registration>) k.attachment();
                    if (regs.removeIf(g -> g.cancelled)) {
                        int still = 0;
                        for (Registration g : regs) {
                            still |= g.ops;
                        }
                        k.interestOps(still);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                System.err.println("multitask async: the stream poller failed: " + e);
            }
        } finally {
            try {
                selector.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
    }
}
