package dev.multitask.function;

import java.io.Serializable;

/**
 * A {@link java.util.function.BiFunction} that is also {@link Serializable}: a lambda or method reference written where one is
 * expected is compiled as serializable, so it can run in another process. What it captures
 * travels with it and must be serializable too.
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends java.util.function.BiFunction<T, U, R>, Serializable {
}
