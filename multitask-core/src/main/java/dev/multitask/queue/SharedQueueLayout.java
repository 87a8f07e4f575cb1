package dev.multitask.queue;

/**
 * The data of a {@link SharedQueue} segment (after the {@link dev.multitask.shm.SharedMemoryLayout}
 * header): the queue's lock, its control block, then the ring of records.
 *
 * <pre>
 *   0          64     72     80         88        92      96          104        108       112
 *   +----------+------+------+----------+---------+-------+-----------+----------+---------+-----+
 *   | mutex    | head | tail | ring size| maxItems| count | unfinished| notEmpty | notFull | join|
 *   +----------+------+------+----------+---------+-------+-----------+----------+---------+-----+
 *   116            120           124           128
 *   | emptyWaiters | fullWaiters | joinWaiters | ring: records ...
 *
 *   record: [int length][bytes][padding to 4]; length -1 = skip to the ring's start
 * </pre>
 *
 * head and tail are byte positions that only grow (position mod ring size is the offset); the
 * tail is the commit point of a put, so a producer that dies mid-put leaves no partial
 * record. notEmpty/notFull/join are futex words bumped when waiters are counted.
 */
final class SharedQueueLayout {
    static final long MUTEX = 0;
    static final long HEAD = 64;
    static final long TAIL = 72;
    static final long RING_SIZE = 80;
    static final long MAX_ITEMS = 88;
    static final long COUNT = 92;
    static final long UNFINISHED = 96;
    static final long NOT_EMPTY = 104;
    static final long NOT_FULL = 108;
    static final long JOIN = 112;
    static final long EMPTY_WAITERS = 116;
    static final long FULL_WAITERS = 120;
    static final long JOIN_WAITERS = 124;
    static final long RING = 128;
    static final int PADDING = -1;

    private SharedQueueLayout() {
    }

    static int recordSize(int payload) {
        return (4 + payload + 3) & ~3;
    }
}
