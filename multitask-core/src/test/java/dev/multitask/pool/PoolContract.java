package dev.multitask.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link Pool} contract, run unchanged against every implementation (process pool,
 * thread pools on platform and virtual threads; later the cluster pool), as CPython reruns
 * one suite for every start method.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class PoolContract {
    protected Pool pool;

    /** A new pool of {@code n} workers. */
    protected abstract Pool newPool(int n);

    @BeforeEach
    void createPool() {
        pool = newPool(2);
    }

    @AfterEach
    void closePool() {
        pool.terminate();
    }

    static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    static int square(int x) {
        return x * x;
    }

    @Test
    void mapReturnsResultsInInputOrder() {
        List<Integer> xs = range(1000);
        List<Integer> expected = xs.stream().map(PoolContract::square).toList();
        assertEquals(expected, pool.map(PoolContract::square, xs));
        assertEquals(expected, pool.map(x -> x * x, xs, 1));
        assertEquals(expected, pool.map(x -> x * x, xs, 7));
        assertEquals(expected, pool.map(x -> x * x, xs, 5000));
    }

    @Test
    void mapAcceptsAnyIterableAndTypes() {
        Set<String> words = new java.util.TreeSet<>(List.of("b", "a", "c"));
        assertEquals(List.of("A", "B", "C"), pool.map(String::toUpperCase, words));
        assertEquals(List.of(), pool.map(x -> x, List.of()));
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        withNull.add("x");
        assertEquals(List.of("null", "x"), pool.map(String::valueOf, withNull));
    }

    @Test
    void mapAsyncIsAFutureAndACompletionStage() throws Exception {
        AsyncResult<List<Integer>> r = pool.mapAsync(x -> x + 1, range(10));
        CompletableFuture<Integer> sum = r.thenApply(l -> l.stream().mapToInt(Integer::intValue).sum()).toCompletableFuture();
        assertEquals(55, sum.get(60, TimeUnit.SECONDS));
        assertTrue(r.ready());
        assertTrue(r.successful());
        assertEquals(range(11).subList(1, 11), r.get());
    }

    @Test
    void applyAndApplyAsync() throws Exception {
        assertEquals(42, pool.apply(() -> 6 * 7));
        String who = "world";
        assertEquals("hello world", pool.applyAsync(() -> "hello " + who).get(60, TimeUnit.SECONDS));
        assertNull(pool.apply(() -> null));
    }

    @Test
    void callbacksReceiveResultOrError() throws Exception {
        CompletableFuture<Object> ok = new CompletableFuture<>();
        CompletableFuture<Throwable> err = new CompletableFuture<>();
        pool.applyAsync(() -> 7, ok::complete, ok::completeExceptionally);
        pool.applyAsync(() -> {
            throw new IllegalArgumentException("bad input 13");
        }, v -> err.completeExceptionally(new AssertionError("no result expected")), err::complete);
        assertEquals(7, ok.get(60, TimeUnit.SECONDS));
        Throwable e = err.get(60, TimeUnit.SECONDS);
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals("bad input 13", e.getMessage());
    }

    static int failOn13(int x) {
        if (x == 13) {
            throw new IllegalStateException("item " + x + " is unlucky");
        }
        return x;
    }

    @Test
    void taskExceptionReachesTheCallerWithClassMessageAndStackTrace() {
        AsyncResult<Integer> r = pool.applyAsync(() -> failOn13(13));
        ExecutionException e = assertThrows(ExecutionException.class, () -> r.get(60, TimeUnit.SECONDS));
        Throwable cause = e.getCause();
        assertInstanceOf(IllegalStateException.class, cause);
        assertEquals("item 13 is unlucky", cause.getMessage());
        assertTrue(cause.getStackTrace().length > 0);
        assertEquals("failOn13", cause.getStackTrace()[0].getMethodName(), "the stack trace is where the task threw");
        assertFalse(r.successful());

        TaskFailedException sync = assertThrows(TaskFailedException.class, () -> pool.apply(() -> failOn13(13)));
        assertInstanceOf(IllegalStateException.class, sync.getCause());
    }

    @Test
    void mapFailsWithTheTaskException() {
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.map(PoolContract::failOn13, range(50), 3));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("item 13 is unlucky", e.getCause().getMessage());
        assertEquals(List.of(1, 2), pool.map(x -> x, List.of(1, 2)), "the pool still serves after a failure");
    }

    @Test
    void imapIsOrderedAndLazyOverAnEndlessInput() {
        AtomicInteger pulled = new AtomicInteger();
        Iterable<Integer> endless = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Integer next() {
                return pulled.getAndIncrement();
            }
        };
        List<Integer> first = new ArrayList<>();
        try (ResultIterator<Integer> it = pool.imap(x -> x * 2, endless, 4)) {
            for (int i = 0; i < 20; i++) {
                first.add(it.next());
            }
        }
        assertEquals(range(20).stream().map(x -> x * 2).toList(), first);
        int bound = 20 + 4 * Math.max(2, 2 * pool.size()) + 4;
        assertTrue(pulled.get() <= bound, "read " + pulled.get() + " items for 20 results; at most " + bound + " expected");
    }

    @Test
    void imapUnorderedReturnsEveryResultOnce() {
        List<Integer> got = new ArrayList<>();
        try (ResultIterator<Integer> it = pool.imapUnordered(x -> x + 1, range(200), 3)) {
            it.forEachRemaining(got::add);
        }
        assertEquals(200, got.size());
        assertEquals(new HashSet<>(range(201).subList(1, 201)), new HashSet<>(got));
    }

    @Test
    void imapReportsAFailingItemAndGoesOn() {
        List<Object> seen = new ArrayList<>();
        try (ResultIterator<Integer> it = pool.imap(PoolContract::failOn13, range(16))) {
            while (it.hasNext()) {
                try {
                    seen.add(it.next());
                } catch (TaskFailedException e) {
                    seen.add(e.getCause().getMessage());
                }
            }
        }
        assertEquals(16, seen.size());
        assertEquals("item 13 is unlucky", seen.get(13));
        assertEquals(15, seen.get(15));
    }

    static int sleepThenEcho(int x) {
        try {
            Thread.sleep(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return x;
    }

    @Test
    void nextWithTimeoutTimesOut() {
        try (ResultIterator<Integer> it = pool.imap(PoolContract::sleepThenEcho, List.of(1))) {
            assertThrows(java.util.concurrent.TimeoutException.class, () -> it.next(Duration.ofMillis(50)));
        }
    }

    @Test
    void closeFinishesQueuedWorkThenRefusesNewTasks() throws Exception {
        List<AsyncResult<Integer>> rs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int k = i;
            rs.add(pool.applyAsync(() -> {
                Thread.sleep(5);
                return k;
            }));
        }
        pool.close();
        for (int i = 0; i < 20; i++) {
            assertTrue(rs.get(i).isDone(), "close() returns after the queued work is done");
            assertEquals(i, rs.get(i).get());
        }
        assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
        assertThrows(IllegalStateException.class, () -> pool.map(x -> x, List.of(1)));
        assertTrue(pool.join(Duration.ofSeconds(30)));
    }

    @Test
    void terminateCancelsPendingWork() {
        List<AsyncResult<Integer>> rs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rs.add(pool.applyAsync(() -> {
                Thread.sleep(60_000);
                return 1;
            }));
        }
        pool.terminate();
        for (AsyncResult<Integer> r : rs) {
            assertThrows(CancellationException.class, () -> r.get(30, TimeUnit.SECONDS));
        }
        assertThrows(IllegalStateException.class, () -> pool.apply(() -> 1));
    }

    @Test
    void joinWhileRunningIsAnError() {
        assertThrows(IllegalStateException.class, () -> pool.join());
    }

    @Test
    void badArgumentsAreRefusedAtTheCall() {
        assertThrows(IllegalArgumentException.class, () -> pool.map(x -> x, List.of(1), 0));
        assertThrows(IllegalArgumentException.class, () -> pool.imap(x -> x, List.of(1), -1));
        assertThrows(NullPointerException.class, () -> pool.map(x -> x, null));
        assertThrows(IllegalArgumentException.class, () -> newPool(0));
    }

    @Test
    void manyThreadsSubmitAtOnce() throws Exception {
        List<Thread> ts = new ArrayList<>();
        List<Integer> sums = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int base = t * 100;
            ts.add(Thread.ofPlatform().start(() -> {
                int s = 0;
                for (int i = 0; i < 25; i++) {
                    int k = base + i;
                    s += pool.apply(() -> k);
                }
                sums.add(s);
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(4, sums.size());
        assertEquals(IntStream.range(0, 4).map(t -> IntStream.range(0, 25).map(i -> t * 100 + i).sum()).sum(),
                sums.stream().mapToInt(Integer::intValue).sum());
    }
}
