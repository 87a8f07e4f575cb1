package dev.multitask.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;


/**
 * What every event loop mode promises; {@link DefaultLoopTest} and {@link ParallelLoopTest}
 * run it, as CPython runs one test suite per start method. Nothing here asserts how long
 * something took: concurrency is shown by order (a later, shorter sleep finishes first).
 */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class AsyncContract {
    abstract EventLoop.Builder loopBuilder();

    <T> T run(Callable<T> main) {
        return loopBuilder().build().run(main);
    }

    static Duration ms(long n) {
        return Duration.ofMillis(n);
    }

    // ------------------------------------------------------------ run, tasks, sleep

    @Test
    void runReturnsMainsResultAndTasksRunConcurrently() {
        List<String> finished = new CopyOnWriteArrayList<>();
        String r = run(() -> {
            Task<String> slow = Async.createTask(() -> {
                Async.sleep(ms(400));
                finished.add("slow");
                return "a";
            });
            Task<String> fast = Async.createTask(() -> {
                Async.sleep(ms(50));
                finished.add("fast");
                return "b";
            });
            return slow.await() + fast.await();
        });
        assertEquals("ab", r);
        assertEquals(List.of("fast", "slow"), finished, "the later, shorter sleep must end first: the sleeps overlap");
    }

    @Test
    void mainsUncheckedExceptionIsThrownAsIsAndCheckedOnesWrapped() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(() -> {
            throw new IllegalArgumentException("boom");
        }));
        assertEquals("boom", e.getMessage());
        CompletionException c = assertThrows(CompletionException.class, () -> run(() -> {
            throw new IOException("io");
        }));
        assertInstanceOf(IOException.class, c.getCause());
    }

    @Test
    void awaitRethrowsTheTasksOwnException() {
        IllegalStateException seen = run(() -> {
            Task<Void> t = Async.createTask(() -> {
                Async.sleep(ms(1));
                throw new IllegalStateException("inner");
            });
            try {
                t.await();
                return null;
            } catch (IllegalStateException e) {
                assertTrue(t.isDone());
                assertFalse(t.isCancelled());
                assertSame(e, t.exception());
                return e;
            }
        });
        assertEquals("inner", seen.getMessage());
    }

    @Test
    void runWaitsForTasksMainDidNotAwait() {
        AtomicBoolean childRan = new AtomicBoolean();
        run(() -> {
            Async.createTask(() -> {
                Async.sleep(ms(100));
                childRan.set(true);
                return null;
            });
            return null;
        });
        assertTrue(childRan.get(), "run() returned before a task it started was done");
    }

    @Test
    void sleepReturnsValueAndZeroSleepLetsOthersRun() {
        List<String> order = new CopyOnWriteArrayList<>();
        int v = run(() -> {
            Async.createTask(() -> {
                order.add("other");
                return null;
            });
            Async.sleep(Duration.ZERO);
            Async.sleep(ms(20));
            order.add("main");
            return Async.sleep(ms(1), 7);
        });
        assertEquals(7, v);
        assertEquals(List.of("other", "main"), order);
    }

    @Test
    void tasksHaveNamesAndTheCurrentTaskIsKnown() {
        run(() -> {
            Task<?> me = Async.current();
            assertEquals("main", me.name());
            Task<String> t = Async.createTask("worker", () -> Async.current().name());
            assertEquals("worker", t.await());
            assertTrue(Async.createTask(() -> 1).name().startsWith("Task-"));
            assertSame(me.loop(), Async.getRunningLoop());
            return null;
        });
        assertEquals(null, Async.current(), "no current task outside a loop");
    }

    // ------------------------------------------------------------ gather, wait, asCompleted

    @Test
    void gatherReturnsResultsInTheOrderGiven() {
        List<Integer> r = run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int k = i;
                ts.add(Async.createTask(() -> {
                    Async.sleep(ms(20 - k)); // finish in reverse order
                    return k;
                }));
            }
            return Async.gather(ts);
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i);
        }
        assertEquals(expected, r);
    }

    @Test
    void gatherOfCallablesRunsThemAsTasks() {
        assertEquals(List.of(1, 2), run(() -> Async.gather(() -> 1, () -> Async.sleep(ms(5), 2))));
    }

    @Test
    void gatherThrowsTheFirstFailureAsSoonAsItHappens() {
        AtomicBoolean slowFinished = new AtomicBoolean();
        run(() -> {
            Task<Integer> slow = Async.createTask(() -> {
                Async.sleep(ms(300));
                slowFinished.set(true);
                return 1;
            });
            Task<Integer> bad = Async.createTask(() -> {
                Async.sleep(ms(10));
                throw new ArithmeticException("bad");
            });
            ArithmeticException e = assertThrows(ArithmeticException.class, () -> Async.gather(slow, bad));
            assertEquals("bad", e.getMessage());
            assertFalse(slow.isDone(), "gather must fail on the first failure, not after every task");
            return slow.await();
        });
        assertTrue(slowFinished.get(), "the other tasks go on after gather fails");
    }

    @Test
    void gatherReturnExceptionsPutsFailuresInPlace() {
        List<Object> r = run(() -> {
            Task<Integer> ok = Async.createTask(() -> 1);
            Task<Integer> bad = Async.createTask(() -> {
                throw new IllegalStateException("x");
            });
            Task<Integer> cancelled = Async.createTask(() -> Async.sleep(ms(1000), 3));
            cancelled.cancel();
            return Async.gatherReturnExceptions(ok, bad, cancelled);
        });
        assertEquals(1, r.get(0));
        assertInstanceOf(IllegalStateException.class, r.get(1));
        assertInstanceOf(CancellationException.class, r.get(2));
    }

    @Test
    void waitFirstCompletedFirstExceptionAllCompletedAndTimeout() {
        run(() -> {
            Task<Integer> fast = Async.createTask(() -> Async.sleep(ms(10), 1));
            Task<Integer> slow = Async.createTask(() -> Async.sleep(ms(300), 2));
            WaitResult<Integer> first = Async.wait(List.of(fast, slow), ReturnWhen.FIRST_COMPLETED);
            assertEquals(Set.of(fast), first.done());
            assertEquals(Set.of(slow), first.pending());

            Task<Integer> failing = Async.createTask(() -> {
                Async.sleep(ms(10));
                throw new IllegalStateException("f");
            });
            Task<Integer> slow2 = Async.createTask(() -> Async.sleep(ms(300), 3));
            WaitResult<Integer> fe = Async.wait(List.of(failing, slow2), ReturnWhen.FIRST_EXCEPTION);
            assertEquals(Set.of(failing), fe.done());
            assertInstanceOf(IllegalStateException.class, failing.exception());

            Task<Integer> never = Async.createTask(() -> Async.sleep(Duration.ofSeconds(30), 4));
            WaitResult<Integer> timed = Async.wait(List.of(never), ReturnWhen.ALL_COMPLETED, ms(30));
            assertEquals(Set.of(never), timed.pending(), "wait returns at the timeout without cancelling");
            assertFalse(never.isDone());
            never.cancel();

            WaitResult<Integer> all = Async.wait(List.of(slow, slow2), ReturnWhen.ALL_COMPLETED);
            assertEquals(2, all.done().size());
            return null;
        });
    }

    @Test
    void asCompletedYieldsTasksInCompletionOrder() {
        List<Integer> order = run(() -> {
            List<Task<Integer>> ts = new ArrayList<>();
            for (int d : new int[] {120, 10, 60}) {
                ts.add(Async.createTask(() -> Async.sleep(ms(d), d)));
            }
            List<Integer> seen = new ArrayList<>();
            for (Task<Integer> t : Async.asCompleted(ts)) {
                seen.add(t.await());
            }
            return seen;
        });
        assertEquals(List.of(10, 60, 120), order);
    }

    // ------------------------------------------------------------ cancellation

    @Test
    void cancelIsDeliveredAtTheNextWaitAndFinallyRuns() {
        AtomicBoolean cleanedUp = new AtomicBoolean();
        AtomicBoolean after = new AtomicBoolean();
        run(() -> {
            Task<Void> t = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofSeconds(30));
                    after.set(true);
                } finally {
                    cleanedUp.set(true);
                }
                return null;
            });
            Async.sleep(ms(20));
            assertTrue(t.cancel("stop"));
            CancellationException e = assertThrows(CancellationException.class, t::await);
            assertTrue(t.isCancelled());
            assertTrue(e.getMessage().contains("stop"), e.getMessage());
            assertFalse(t.cancel(), "cancel of a done task returns false");
            return null;
        });
        assertTrue(cleanedUp.get());
        assertFalse(after.get());
    }

    @Test
    void aTaskCancelledRightAfterCreationIsCancelled() {
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        run(() -> {
            Task<Void> t = Async.createTask(() -> {
                started.set(true);
                Async.sleep(ms(200));
                finished.set(true);
                return null;
            });
            t.cancel();
            assertThrows(CancellationException.class, t::await);
            assertTrue(t.isCancelled());
            return null;
        });
        assertFalse(finished.get());
        if (!loopBuilder().build().isParallel()) {
            assertFalse(started.get(), "in the default mode a task cancelled before its first turn never starts");
        }
    }

    @Test
    void aTaskThatCatchesItsCancellationIsNotCancelled() {
        String r = run(() -> {
            Task<String> t = Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofSeconds(30));
                    return "slept";
                } catch (CancellationException e) {
                    return "caught";
                }
            });
            Async.sleep(ms(10));
            t.cancel();
            String v = t.await();
            assertFalse(t.isCancelled());
            return v;
        });
        assertEquals("caught", r);
    }

    @Test
    void cancellingTheAwaiterLeavesTheAwaitedTaskRunning() {
        AtomicBoolean innerDone = new AtomicBoolean();
        run(() -> {
            Task<Integer> inner = Async.createTask(() -> {
                Async.sleep(ms(100));
                innerDone.set(true);
                return 1;
            });
            Task<Integer> outer = Async.createTask(inner::await);
            Async.sleep(ms(10));
            outer.cancel();
            assertThrows(CancellationException.class, outer::await);
            assertEquals(1, inner.await());
            return null;
        });
        assertTrue(innerDone.get());
    }

    @Test
    void shieldKeepsTheInnerTaskFromCancellation() {
        run(() -> {
            Task<Integer> inner = Async.createTask(() -> Async.sleep(ms(100), 5));
            Task<Integer> shielded = Async.shield(inner);
            Task<Integer> waiter = Async.createTask(shielded::await);
            Async.sleep(ms(10));
            waiter.cancel();
            assertThrows(CancellationException.class, waiter::await);
            shielded.cancel();
            assertTrue(shielded.isCancelled());
            assertEquals(5, inner.await());
            assertFalse(inner.isCancelled());
            return null;
        });
    }

    // ------------------------------------------------------------ timeouts

    @Test
    void waitForCallableTimesOutAtItsNextWait() {
        AtomicBoolean cleanedUp = new AtomicBoolean();
        run(() -> {
            AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> Async.waitFor(() -> {
                try {
                    Async.sleep(Duration.ofSeconds(30));
                } finally {
                    cleanedUp.set(true);
                }
                return 1;
            }, ms(30)));
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
            assertEquals(2, Async.waitFor(() -> Async.sleep(ms(1), 2), Duration.ofSeconds(30)));
            Async.sleep(ms(50)); // no stray timeout afterwards
            return null;
        });
        assertTrue(cleanedUp.get());
    }

    @Test
    void waitForTaskCancelsItOnTimeout() {
        run(() -> {
            Task<Integer> t = Async.createTask(() -> Async.sleep(Duration.ofSeconds(30), 1));
            assertThrows(AsyncTimeoutException.class, () -> Async.waitFor(t, ms(30)));
            assertTrue(t.isCancelled(), "waitFor cancels the task it gave up on, and waits for it");
            Task<Integer> quick = Async.createTask(() -> Async.sleep(ms(5), 9));
            assertEquals(9, Async.waitFor(quick, Duration.ofSeconds(30)));
            return null;
        });
    }

    @Test
    void timeoutScopesNestAndSayWhichExpired() {
        run(() -> {
            try (Timeout outer = Async.timeout(ms(40))) {
                AsyncTimeoutException e = assertThrows(AsyncTimeoutException.class, () -> {
                    try (Timeout inner = Async.timeout(Duration.ofSeconds(30))) {
                        Async.sleep(Duration.ofSeconds(30));
                    }
                });
                assertSame(outer, e.scope());
                assertTrue(outer.expired());
            }
            try (Timeout t = Async.timeout(Duration.ofSeconds(30))) {
                Async.sleep(ms(5));
                assertFalse(t.expired());
            }
            try (Timeout t = Async.timeout(Duration.ofSeconds(30))) {
                t.reschedule(ms(20));
                assertThrows(AsyncTimeoutException.class, () -> Async.sleep(Duration.ofSeconds(30)));
            }
            Async.sleep(ms(10));
            return null;
        });
    }

    @Test
    void anExpiryNotDeliveredBeforeTheScopeClosesIsWithdrawn() {
        run(() -> {
            try (Timeout t = Async.timeout(ms(1))) {
                long end = System.nanoTime() + 30_000_000L;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait(); // no wait on the library inside the scope
                }
            }
            Async.sleep(ms(20)); // must not throw
            return null;
        });
    }

    // ------------------------------------------------------------ TaskGroup

    @Test
    void taskGroupWaitsForAllChildren() {
        List<Integer> r = run(() -> {
            Task<Integer> a;
            Task<Integer> b;
            try (TaskGroup tg = new TaskGroup()) {
                a = tg.createTask(() -> Async.sleep(ms(30), 1));
                b = tg.createTask(() -> Async.sleep(ms(10), 2));
            }
            assertTrue(a.isDone() && b.isDone());
            return List.of(a.await(), b.await());
        });
        assertEquals(List.of(1, 2), r);
    }

    @Test
    void aFailingChildCancelsTheOthersAndTheBodyAndFailuresComeBackTogether() {
        AtomicBoolean siblingCleanedUp = new AtomicBoolean();
        AtomicBoolean bodyContinued = new AtomicBoolean();
        TaskGroupException e = run(() -> {
            try (TaskGroup tg = new TaskGroup()) {
                tg.createTask(() -> {
                    try {
                        Async.sleep(Duration.ofSeconds(30));
                    } finally {
                        siblingCleanedUp.set(true);
                    }
                    return null;
                });
                tg.createTask(() -> {
                    Async.sleep(ms(10));
                    throw new IllegalStateException("one");
                });
                tg.createTask(() -> {
                    Async.sleep(ms(10));
                    throw new IllegalArgumentException("two");
                });
                Async.sleep(Duration.ofSeconds(30)); // interrupted by the failure
                bodyContinued.set(true);
                return null;
            } catch (TaskGroupException ex) {
                return ex;
            }
        });
        assertTrue(siblingCleanedUp.get());
        assertFalse(bodyContinued.get());
        assertEquals(2, e.exceptions().size(), "both failures are reported: " + e.exceptions());
        assertTrue(e.exceptions().stream().anyMatch(x -> x instanceof IllegalStateException));
        assertTrue(e.exceptions().stream().anyMatch(x -> x instanceof IllegalArgumentException));
    }

    @Test
    void cancellingTheParentCancelsTheGroupsChildren() {
        AtomicInteger cleaned = new AtomicInteger();
        run(() -> {
            Task<Void> parent = Async.createTask(() -> {
                try (TaskGroup tg = new TaskGroup()) {
                    for (int i = 0; i < 3; i++) {
                        tg.createTask(() -> {
                            try {
                                Async.sleep(Duration.ofSeconds(30));
                            } finally {
                                cleaned.incrementAndGet();
                            }
                            return null;
                        });
                    }
                    Async.sleep(Duration.ofSeconds(30));
                }
                return null;
            });
            Async.sleep(ms(30));
            parent.cancel();
            assertThrows(CancellationException.class, parent::await);
            return null;
        });
        assertEquals(3, cleaned.get());
    }

    @Test
    void taskGroupInsideATimeoutScopeTimesOutAsAWhole() {
        run(() -> {
            assertThrows(AsyncTimeoutException.class, () -> {
                try (Timeout t = Async.timeout(ms(30)); TaskGroup tg = new TaskGroup()) {
                    tg.createTask(() -> Async.sleep(Duration.ofSeconds(30), 1));
                }
            });
            return null;
        });
    }

    // ------------------------------------------------------------ threads and executors

    @Test
    void toThreadRunsElsewhereWhileTheLoopGoesOn() {
        run(() -> {
            CountDownLatch released = new CountDownLatch(1);
            Task<Void> releaser = Async.createTask(() -> {
                Async.sleep(ms(20));
                released.countDown(); // only possible if the loop runs while toThread blocks
                return null;
            });
            String where = Async.toThread(() -> {
                assertTrue(released.await(30, TimeUnit.SECONDS));
                return Thread.currentThread().getName();
            });
            assertTrue(where.startsWith("multitask-to-thread"), where);
            releaser.await();
            assertThrows(ArithmeticException.class, () -> Async.toThread(() -> 1 / 0));
            return null;
        });
    }

    @Test
    void runInExecutorUsesTheGivenExecutor() {
        ExecutorService ex = Executors.newFixedThreadPool(2, r -> new Thread(r, "given-executor"));
        try {
            String name = run(() -> Async.runInExecutor(ex, () -> Thread.currentThread().getName()));
            assertEquals("given-executor", name);
        } finally {
            ex.shutdownNow();
        }
    }

    // ------------------------------------------------------------ context, timers

    @Test
    void contextVariablesFlowToTasksCreatedAfterwardsOnly() {
        ContextVar<String> user = ContextVar.newInstance("user", "nobody");
        run(() -> {
            assertEquals("nobody", user.get());
            try (var tok = user.set("alice")) {
                Task<String> child = Async.createTask(() -> {
                    String seen = user.get();
                    user.set("changed-in-child");
                    return seen;
                });
                assertEquals("alice", child.await());
                assertEquals("alice", user.get(), "a child's set does not reach its parent");
            }
            assertEquals("nobody", user.get());
            return null;
        });
    }

    @Test
    void callbacksRunInTimeOrder() {
        List<String> order = run(() -> {
            List<String> seen = new CopyOnWriteArrayList<>();
            EventLoop loop = Async.getRunningLoop();
            loop.callLater(ms(30), () -> seen.add("later"));
            loop.callAt(loop.time() + 0.010, () -> seen.add("at"));
            loop.callSoon(() -> seen.add("soon"));
            TimerHandle h = loop.callLater(ms(5), () -> seen.add("cancelled"));
            h.cancel();
            Async.sleep(ms(80));
            return seen;
        });
        assertEquals(List.of("soon", "at", "later"), order);
    }

    // ------------------------------------------------------------ async primitives

    @Test
    void queueHandsItemsFromProducersToConsumersAndJoinWaitsForTaskDone() {
        List<Integer> got = run(() -> {
            AsyncQueue<Integer> q = new AsyncQueue<>(2);
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            for (int c = 0; c < 2; c++) {
                Async.createTask(() -> {
                    for (;;) {
                        Integer v = q.get();
                        if (v < 0) {
                            q.taskDone();
                            return null;
                        }
                        Async.sleep(ms(1));
                        seen.add(v);
                        q.taskDone();
                    }
                });
            }
            for (int i = 0; i < 20; i++) {
                q.put(i); // waits while 2 are queued
                assertTrue(q.size() <= 2);
            }
            q.join();
            assertEquals(20, seen.size(), "join returned before every item was marked done");
            q.put(-1);
            q.put(-1);
            return new ArrayList<>(seen);
        });
        Collections.sort(got);
        assertEquals(20, got.size());
        assertEquals(19, got.get(19));
    }

    @Test
    void priorityAndLifoQueuesAndNonWaitingCalls() {
        run(() -> {
            AsyncQueue<Integer> p = AsyncQueue.priority(0);
            for (int v : new int[] {5, 1, 3}) {
                p.put(v);
            }
            assertEquals(List.of(1, 3, 5), List.of(p.get(), p.get(), p.get()));
            AsyncQueue<Integer> l = AsyncQueue.lifo(0);
            l.put(1);
            l.put(2);
            assertEquals(2, l.get());
            AsyncQueue<Integer> b = new AsyncQueue<>(1);
            b.putNowait(1);
            assertThrows(IllegalStateException.class, () -> b.putNowait(2));
            assertFalse(b.offer(2));
            assertEquals(1, b.getNowait());
            assertThrows(java.util.NoSuchElementException.class, b::getNowait);
            assertEquals(null, b.get(ms(10)), "a timed get with nothing put returns null");
            return null;
        });
    }

    @Test
    void lockKeepsOthersOutAcrossWaits() {
        int maxInside = run(() -> {
            AsyncLock lock = new AsyncLock();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            List<Task<Void>> ts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ts.add(Async.createTask(() -> {
                    try (var held = lock.acquire()) {
                        max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Async.sleep(ms(2));
                        inside.decrementAndGet();
                    }
                    return null;
                }));
            }
            Async.gather(ts);
            assertFalse(lock.isLocked());
            return max.get();
        });
        assertEquals(1, maxInside);
    }

    @Test
    void lockMisuseIsReported() {
        run(() -> {
            AsyncLock lock = new AsyncLock();
            lock.lock();
            assertThrows(IllegalStateException.class, lock::lock, "not re-entrant");
            Task<Void> other = Async.createTask(() -> {
                lock.unlock();
                return null;
            });
            assertThrows(IllegalMonitorStateException.class, other::await);
            lock.unlock();
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
            lock.lock();
            Task<Boolean> waiter = Async.createTask(() -> lock.tryLock(ms(10)));
            assertFalse(waiter.await(), "tryLock times out while another task holds the lock");
            lock.unlock();
            return null;
        });
    }

    @Test
    void semaphoreLimitsConcurrencyAndBoundedOneRefusesExtraReleases() {
        int maxInside = run(() -> {
            AsyncSemaphore sem = new AsyncSemaphore(3);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger max = new AtomicInteger();
            List<Task<Void>> ts = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ts.add(Async.createTask(() -> {
                    try (var p = sem.acquire()) {
                        max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Async.sleep(ms(3));
                        inside.decrementAndGet();
                    }
                    return null;
                }));
            }
            Async.gather(ts);
            AsyncSemaphore b = AsyncSemaphore.bounded(1);
            assertThrows(IllegalStateException.class, b::release);
            return max.get();
        });
        assertEquals(3, maxInside);
    }

    @Test
    void eventWakesEveryWaiter() {
        int woken = run(() -> {
            AsyncEvent ev = new AsyncEvent();
            List<Task<Boolean>> ts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ts.add(Async.createTask(() -> ev.await(Duration.ofSeconds(30))));
            }
            Async.sleep(ms(10));
            assertFalse(ev.isSet());
            ev.set();
            int n = 0;
            for (boolean b : Async.gather(ts)) {
                n += b ? 1 : 0;
            }
            ev.clear();
            assertFalse(ev.await(ms(5)));
            return n;
        });
        assertEquals(5, woken);
    }

    @Test
    void conditionSignalsWaitersThatHoldTheLockAgain() {
        List<Integer> got = run(() -> {
            AsyncCondition cond = new AsyncCondition();
            List<Integer> items = new ArrayList<>();
            List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
            List<Task<Void>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                consumers.add(Async.createTask(() -> {
                    cond.lock().lock();
                    try {
                        cond.awaitUntil(() -> !items.isEmpty());
                        assertTrue(cond.lock().isHeldByCurrentTask());
                        taken.add(items.remove(0));
                    } finally {
                        cond.lock().unlock();
                    }
                    return null;
                }));
            }
            Async.sleep(ms(10));
            for (int i = 0; i < 3; i++) {
                try (var held = cond.lock().acquire()) {
                    items.add(i);
                    cond.signal();
                }
                Async.sleep(ms(2));
            }
            Async.gather(consumers);
            assertThrows(IllegalMonitorStateException.class, cond::signal);
            return new ArrayList<>(taken);
        });
        Collections.sort(got);
        assertEquals(List.of(0, 1, 2), got);
    }

    @Test
    void barrierReleasesEachRoundAndBreaksWhenAWaiterIsCancelled() {
        run(() -> {
            AsyncBarrier barrier = new AsyncBarrier(3);
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ts.add(Async.createTask(barrier::await));
            }
            List<Integer> idx = new ArrayList<>(Async.gather(ts));
            Collections.sort(idx);
            assertEquals(List.of(0, 1, 2), idx);

            Task<Integer> w1 = Async.createTask(barrier::await);
            Task<Integer> w2 = Async.createTask(barrier::await);
            Async.sleep(ms(10));
            w1.cancel();
            assertThrows(CancellationException.class, w1::await);
            CompletionException e = assertThrows(CompletionException.class, w2::await);
            assertInstanceOf(java.util.concurrent.BrokenBarrierException.class, e.getCause());
            assertTrue(barrier.isBroken());
            barrier.reset();
            assertFalse(barrier.isBroken());
            return null;
        });
    }

    // ------------------------------------------------------------ streams

    @Test
    void echoServerAndClientOverTcp() {
        List<String> replies = run(() -> {
            AsyncServer server = Async.startServer((reader, writer) -> {
                String line;
                while ((line = reader.readLine()) != null) {
                    writer.writeLine("echo:" + line);
                    writer.drain();
                }
            }, "127.0.0.1", 0);
            List<String> got = new ArrayList<>();
            List<Task<String>> clients = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                int k = c;
                clients.add(Async.createTask(() -> {
                    try (StreamConnection conn = Async.openConnection("127.0.0.1", server.port())) {
                        conn.writer().writeLine("hello " + k);
                        conn.writer().drain();
                        return conn.reader().readLine();
                    }
                }));
            }
            got.addAll(Async.gather(clients));
            server.close();
            return got;
        });
        assertEquals(List.of("echo:hello 0", "echo:hello 1", "echo:hello 2"), replies);
    }

    @Test
    void aTimedOutReadLeavesTheStreamUsableAndEofIsReported() {
        run(() -> {
            AsyncEvent go = new AsyncEvent();
            AsyncServer server = Async.startServer((reader, writer) -> {
                go.await();
                writer.write(new byte[] {1, 2, 3});
                writer.writeEof();
            }, "127.0.0.1", 0);
            try (StreamConnection conn = Async.openConnection("127.0.0.1", server.port())) {
                assertThrows(AsyncTimeoutException.class, () -> Async.waitFor(() -> conn.reader().read(10), ms(30)));
                go.set();
                assertEquals(3, conn.reader().readExactly(3).length);
                assertThrows(java.io.EOFException.class, () -> conn.reader().readExactly(1));
                assertTrue(conn.reader().atEof());
            }
            server.close();
            return null;
        });
    }

    @Test
    void megabytesThroughAStreamArriveIntactAndReadUntilFindsSeparators() {
        run(() -> {
            byte[] payload = new byte[3 << 20]; // far more than the socket and reader buffers hold
            new java.util.Random(7).nextBytes(payload);
            AsyncServer server = Async.startServer((reader, writer) -> {
                byte[] all = reader.readExactly(payload.length);
                writer.write(all); // the socket takes part of it; drain waits for the rest
                writer.drain();
                writer.write("a;bb;;ccc;".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                writer.writeLine("last line\r");
                writer.writeEof();
            }, "127.0.0.1", 0);
            try (StreamConnection conn = Async.openConnection("127.0.0.1", server.port())) {
                Task<Void> sender = Async.createTask(() -> {
                    conn.writer().write(payload);
                    conn.writer().drain();
                    return null;
                });
                byte[] back = conn.reader().readExactly(payload.length);
                sender.await();
                assertTrue(java.util.Arrays.equals(payload, back), "the echoed megabytes differ");
                byte[] sep = {';'};
                assertEquals("a;", new String(conn.reader().readUntil(sep)));
                assertEquals("bb;", new String(conn.reader().readUntil(sep)));
                assertEquals(";", new String(conn.reader().readUntil(sep)));
                assertEquals("ccc;", new String(conn.reader().readUntil(sep)));
                assertEquals("last line", conn.reader().readLine(), "a \\r\\n ending is stripped");
                assertEquals(null, conn.reader().readLine());
                assertTrue(conn.reader().atEof());
                assertEquals(0, conn.reader().read(10).length, "read at end of stream gives an empty array");
            }
            server.close();
            return null;
        });
    }

    @Test
    void aFailingConnectionHandlerIsReportedAtOnceAndTheServerGoesOn() {
        List<String> reports = new CopyOnWriteArrayList<>();
        loopBuilder().exceptionHandler((m, t) -> reports.add(m + " / " + t.getMessage())).build().run(() -> {
            AsyncServer server = Async.startServer((reader, writer) -> {
                String line = reader.readLine();
                if ("boom".equals(line)) {
                    throw new IllegalStateException("handler failed");
                }
                writer.writeLine("ok:" + line);
                writer.drain();
            }, "127.0.0.1", 0);
            try (StreamConnection bad = Async.openConnection("127.0.0.1", server.port())) {
                bad.writer().writeLine("boom");
                bad.writer().drain();
                assertEquals(null, bad.reader().readLine(), "the failed handler's connection is closed");
            }
            for (int i = 0; i < 5_000 && reports.isEmpty(); i++) {
                Async.sleep(ms(1)); // the handler task may still be finishing (parallel mode)
            }
            assertEquals(1, reports.size(), "reported while the loop still runs: " + reports);
            assertTrue(reports.get(0).contains("handler failed"), reports.get(0));
            try (StreamConnection good = Async.openConnection("127.0.0.1", server.port())) {
                good.writer().writeLine("x");
                good.writer().drain();
                assertEquals("ok:x", good.reader().readLine());
            }
            server.close();
            return null;
        });
        assertEquals(1, reports.size(), "no second report at the loop's end: " + reports);
    }

    @Test
    void connectingToAClosedPortFailsWithAClearError() {
        run(() -> {
            int port;
            try (var s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            IOException e = assertThrows(IOException.class, () -> Async.openConnection("127.0.0.1", port));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
            return null;
        });
    }

    // ------------------------------------------------------------ bad input and failure

    @Test
    void misuseGivesClearErrors() {
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> Async.sleep(ms(1)));
        assertTrue(outside.getMessage().contains("Async.sleep"), outside.getMessage());
        assertThrows(IllegalStateException.class, () -> Async.createTask(() -> 1));
        run(() -> {
            IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> Async.sleep(ms(-1)));
            assertTrue(neg.getMessage().contains("negative"), neg.getMessage());
            assertThrows(IllegalStateException.class, () -> Async.run(() -> 1), "run() inside a loop");
            Task<?> me = Async.current();
            assertThrows(IllegalStateException.class, me::await, "a task awaiting itself");
            return null;
        });
        EventLoop loop = loopBuilder().build();
        loop.run(() -> 1);
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> loop.createTask(() -> 1));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, () -> loop.run(() -> 1), "a loop runs once");
    }

    @Test
    void awaitingATaskOfAnotherLoopIsRefused() throws Exception {
        AtomicReference<Task<Integer>> foreign = new AtomicReference<>();
        run(() -> {
            foreign.set(Async.createTask(() -> 1));
            return null;
        });
        IllegalStateException e = run(() -> assertThrows(IllegalStateException.class, () -> foreign.get().await()));
        assertTrue(e.getMessage().contains("another event loop"), e.getMessage());
        assertEquals(1, foreign.get().get(), "get() works from any thread");
    }

    @Test
    void anExceptionNobodyRetrievedIsReportedWhenTheLoopEnds() {
        List<String> reports = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        loopBuilder().exceptionHandler((m, t) -> {
            reports.add(m);
            errors.add(t);
        }).build().run(() -> {
            Async.createTask("forgotten", () -> {
                throw new IllegalStateException("lost?");
            });
            Task<Void> seen = Async.createTask(() -> {
                throw new IllegalStateException("retrieved");
            });
            Async.sleep(ms(10));
            assertThrows(IllegalStateException.class, seen::await);
            return null;
        });
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.get(0).contains("never retrieved") && reports.get(0).contains("forgotten"), reports.get(0));
        assertEquals("lost?", errors.get(0).getMessage());
    }

    @Test
    void whenMainFailsTheOtherTasksAreCancelledBeforeRunReturns() {
        AtomicBoolean cleaned = new AtomicBoolean();
        assertThrows(IllegalStateException.class, () -> run(() -> {
            Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofSeconds(30));
                } finally {
                    cleaned.set(true);
                }
                return null;
            });
            Async.sleep(ms(10));
            throw new IllegalStateException("main failed");
        }));
        assertTrue(cleaned.get());
    }

    @Test
    void aDeadlockedLoopCancelsItsTasksAndSaysWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> loopBuilder().deadlockGrace(ms(50)).build().run(() -> {
            AsyncQueue<Integer> nobodyPuts = new AsyncQueue<>();
            return nobodyPuts.get();
        }));
        assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
        assertTrue(e.getMessage().contains("main"), e.getMessage());
    }

    @Test
    void aThreadOutsideTheLoopFeedsItUnderAHoldWithoutBeingTakenForADeadlock() {
        String got = loopBuilder().deadlockGrace(ms(50)).build().run(() -> {
            AsyncQueue<String> q = new AsyncQueue<>();
            EventLoop.Hold hold = Async.getRunningLoop().holdOpen();
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(300); // far longer than the grace period
                } catch (InterruptedException e) {
                    return;
                }
                q.offer("from outside");
                hold.close();
            });
            return q.get();
        });
        assertEquals("from outside", got);
    }

    @Test
    void interruptingTheThreadRunningTheLoopCancelsMain() throws Exception {
        AtomicBoolean cleaned = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        CountDownLatch sleeping = new CountDownLatch(1);
        Thread runner = Thread.ofPlatform().start(() -> {
            try {
                run(() -> {
                    try {
                        sleeping.countDown();
                        Async.sleep(Duration.ofSeconds(30));
                    } finally {
                        cleaned.set(true);
                    }
                    return null;
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        assertTrue(sleeping.await(30, TimeUnit.SECONDS));
        runner.interrupt();
        runner.join();
        assertInstanceOf(CancellationException.class, thrown.get());
        assertTrue(cleaned.get(), "main's finally ran");
        assertTrue(stillInterrupted.get(), "run() restores the interrupt");
    }

    @Test
    void leftoverTasksWaitingForeverAreCancelledAfterMainReturns() {
        AtomicBoolean cleaned = new AtomicBoolean();
        List<String> reports = new CopyOnWriteArrayList<>();
        int r = loopBuilder().deadlockGrace(ms(50)).exceptionHandler((m, t) -> reports.add(m)).build().run(() -> {
            AsyncEvent never = new AsyncEvent();
            Async.createTask(() -> {
                try {
                    never.await();
                } finally {
                    cleaned.set(true);
                }
                return null;
            });
            return 3;
        });
        assertEquals(3, r);
        assertTrue(cleaned.get());
        assertEquals(1, reports.size());
        assertNotSame(null, reports.get(0));
    }
}
