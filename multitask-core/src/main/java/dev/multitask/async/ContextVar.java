package dev.multitask.async;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A context variable: Python's {@code contextvars.ContextVar}. Each task has its own context,
 * a copy of its creator's taken when the task was created; {@link #set} changes the value in
 * the current task's context only, so values flow down to the tasks a task creates and never
 * sideways or up.
 *
 * <p>Why not {@link ScopedValue}: the JDK passes scoped-value bindings only to threads forked
 * by a {@code StructuredTaskScope}, a preview API in JDK 25 that would require
 * {@code --enable-preview} of every user. A {@code ScopedValue} bound around {@link Async#run}
 * is still visible to main only; use a {@code ContextVar} for values every task should see.
 *
 * <p>Outside a loop's tasks, each thread has a context of its own (empty at first).
 */
public final class ContextVar<T> {
    private static final ThreadLocal<Context[]> OUTSIDE = ThreadLocal.withInitial(() -> new Context[] {Context.EMPTY});

    private final String name;
    private final Supplier<? extends T> defaultValue;

    private ContextVar(String name, Supplier<? extends T> defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.defaultValue = defaultValue;
    }

    /** A variable with no default: {@link #get()} throws until it is set. */
    public static <T> ContextVar<T> newInstance(String name) {
        return new ContextVar<>(name, null);
    }

    /** A variable whose value is {@code defaultValue} until it is set. */
    public static <T> ContextVar<T> newInstance(String name, T defaultValue) {
        return new ContextVar<>(name, () -> defaultValue);
    }

    public String name() {
        return name;
    }

    /**
     * The value in the current context.
     *
     * @throws java.util.NoSuchElementException if it was never set here and has no default
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Context c = current();
        if (c.values.containsKey(this)) {
            return (T) c.values.get(this);
        }
        if (defaultValue == null) {
            throw new java.util.NoSuchElementException("context variable " + name + " is not set in this context and has no default");
        }
        return defaultValue.get();
    }

    /** The value in the current context, or {@code fallback} if it is not set. */
    @SuppressWarnings("unchecked")
    public T get(T fallback) {
        Context c = current();
        return c.values.containsKey(this) ? (T) c.values.get(this) : fallback;
    }

    /**
     * Sets the value in the current context (tasks created afterwards see it) and returns a token
     * that {@link #reset} uses to restore the previous value; the token is also
     * {@link AutoCloseable}, so {@code try (var t = v.set(x)) { … }} scopes the value.
     */
    public Token<T> set(T value) {
        Context before = current();
        Context after = before.with(this, value);
        replace(after);
        return new Token<>(this, before);
    }

    /** Restores the value this variable had before the {@link #set} that gave {@code token}. */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.variable != this) {
            throw new IllegalArgumentException("the token was created by context variable " + token.variable.name + ", not " + name);
        }
        if (token.used) {
            throw new IllegalStateException("the token of " + name + " has already been used to reset it");
        }
        token.used = true;
        Context c = current();
        replace(token.before.values.containsKey(this) ? c.with(this, token.before.values.get(this)) : c.without(this));
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + "]";
    }

    private static Context current() {
        Task<?> t = Async.current();
        return t != null ? t.context : OUTSIDE.get()[0];
    }

    private static void replace(Context c) {
        Task<?> t = Async.current();
        if (t != null) {
            t.context = c;
        } else {
            OUTSIDE.get()[0] = c;
        }
    }

    /** What {@link ContextVar#set} returns: restores the previous value when {@linkplain #close() closed}. */
    public static final class Token<T> implements AutoCloseable {
        private final ContextVar<T> variable;
        private final Context before;
        private boolean used;

        private Token(ContextVar<T> variable, Context before) {
            this.variable = variable;
            this.before = before;
        }

        public ContextVar<T> variable() {
            return variable;
        }

        /** {@link ContextVar#reset(Token)} with this token, unless it was already used. */
        @Override
        public void close() {
            if (!used) {
                variable.reset(this);
            }
        }
    }

    /** An immutable set of values; copying a context to a new task is a reference copy. */
    static final class Context {
        static final Context EMPTY = new Context(Map.of());
        final Map<ContextVar<?>, Object> values;

        private Context(Map<ContextVar<?>, Object> values) {
            this.values = values;
        }

        Context with(ContextVar<?> v, Object value) {
            IdentityHashMap<ContextVar<?>, Object> m = new IdentityHashMap<>(values);
            m.put(v, value);
            return new Context(m);
        }

        Context without(ContextVar<?> v) {
            IdentityHashMap<ContextVar<?>, Object> m = new IdentityHashMap<>(values);
            m.remove(v);
            return new Context(m);
        }
    }
}
