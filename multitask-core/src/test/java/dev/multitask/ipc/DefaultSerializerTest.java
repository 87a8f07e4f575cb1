package dev.multitask.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitask.function.SerializableFunction;
import dev.multitask.ipc.internal.Bytes;
import dev.multitask.ipc.internal.BytesInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultSerializerTest {
    private final Serializer s = Serializer.defaultSerializer();

    private Object roundTrip(Object v) throws Exception {
        Bytes b = new Bytes(16);
        s.serialize(v, b);
        BytesInput in = new BytesInput(b.array(), 0, b.length());
        Object back = s.deserialize(in);
        assertEquals(0, in.available(), "a value is read exactly to its end");
        return back;
    }

    record Point(int x, String label) implements Serializable {
    }

    @Test
    void valuesSurviveTheRoundTrip() throws Exception {
        List<Integer> withNull = new ArrayList<>(Arrays.asList(1, null, 3));
        for (Object v : new Object[] {null, 7, -7L, 2.5, true, false, "héllo", "", withNull,
                List.of("a", 1, 2L, 3.0, false), new LinkedList<>(List.of(1, 2)), Map.of("k", 1),
                new Point(3, "p"), List.of(new Point(1, "a"))}) {
            assertEquals(v, roundTrip(v));
        }
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) roundTrip(new byte[] {1, 2, 3}));
        assertArrayEquals(new int[] {1, -2, Integer.MAX_VALUE}, (int[]) roundTrip(new int[] {1, -2, Integer.MAX_VALUE}));
        assertArrayEquals(new long[] {Long.MIN_VALUE}, (long[]) roundTrip(new long[] {Long.MIN_VALUE}));
        assertArrayEquals(new double[] {Double.NaN, 1e300}, (double[]) roundTrip(new double[] {Double.NaN, 1e300}));
    }

    @Test
    void aLambdaTravelsWithWhatItCaptures() throws Exception {
        int k = 10;
        SerializableFunction<Integer, Integer> f = x -> x + k;
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> back = (SerializableFunction<Integer, Integer>) roundTrip(f);
        assertEquals(15, back.apply(5));
    }

    static final class Holder implements Serializable {
        final Object inner;

        Holder(Object inner) {
            this.inner = inner;
        }
    }

    @Test
    void theErrorNamesTheClassAndThePathToIt() {
        Holder h = new Holder(List.of(1, new Object()));
        SerializationException e = assertThrows(SerializationException.class, () -> s.serialize(h, new Bytes(16)));
        assertEquals("java.lang.Object", e.className());
        assertTrue(e.getMessage().contains("Holder.inner -> element 1"), e.getMessage());
    }

    @Test
    void truncatedOrCorruptInputIsAnErrorNotGarbage() throws Exception {
        Bytes b = new Bytes(16);
        s.serialize("a long enough string", b);
        assertThrows(EOFException.class, () -> s.deserialize(new BytesInput(b.array(), 0, b.length() - 3)));
        assertThrows(IOException.class, () -> s.deserialize(new BytesInput(new byte[] {99}, 0, 1)));
        byte[] hugeLength = {7, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThrows(EOFException.class, () -> s.deserialize(new BytesInput(hugeLength, 0, hugeLength.length)));
    }
}
