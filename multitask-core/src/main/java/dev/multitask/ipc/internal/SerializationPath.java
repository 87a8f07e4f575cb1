package dev.multitask.ipc.internal;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Finds, for an error message, the path from a task to the first object of a class that is
 * not serializable: {@code captured arg 1 -> Order.customer -> java.net.Socket}. Best effort:
 * fields of classes that reflection may not open (the JDK's own) are not followed.
 */
final class SerializationPath {
    private static final int MAX_NODES = 10_000;

    private record Node(Object value, String path) {
    }

    private SerializationPath() {
    }

    static String find(Object root, String className) {
        try {
            return search(root, className);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String search(Object root, String className) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.add(new Node(root, ""));
        while (!todo.isEmpty() && seen.size() < MAX_NODES) {
            Node n = todo.poll();
            Object v = n.value();
            if (v == null || seen.put(v, Boolean.TRUE) != null) {
                continue;
            }
            Class<?> c = v.getClass();
            if (!(v instanceof Serializable) && !c.isArray() && c.getName().equals(className)) {
                return n.path().isEmpty() ? "the task itself" : n.path().substring(4);
            }
            SerializedLambda sl = lambdaOf(v);
            if (sl != null) {
                for (int i = 0; i < sl.getCapturedArgCount(); i++) {
                    todo.add(new Node(sl.getCapturedArg(i), n.path() + " -> captured arg " + i));
                }
            } else if (c.isArray() && !c.getComponentType().isPrimitive()) {
                for (int i = 0, k = Array.getLength(v); i < k; i++) {
                    todo.add(new Node(Array.get(v, i), n.path() + " -> [" + i + "]"));
                }
            } else if (v instanceof Collection<?> col) {
                int i = 0;
                for (Object e : col) {
                    todo.add(new Node(e, n.path() + " -> element " + i++));
                }
            } else if (v instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    todo.add(new Node(e.getValue(), n.path() + " -> value of key " + e.getKey()));
                }
            } else {
                for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                    for (Field f : k.getDeclaredFields()) {
                        int mod = f.getModifiers();
                        if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.getType().isPrimitive()) {
                            continue;
                        }
                        if (!f.trySetAccessible()) {
                            continue;
                        }
                        try {
                            todo.add(new Node(f.get(v), n.path() + " -> " + k.getSimpleName() + "." + f.getName()));
                        } catch (IllegalAccessException e) {
                            // not followed
                        }
                    }
                }
            }
        }
        return null;
    }

    private static SerializedLambda lambdaOf(Object v) {
        if (!(v instanceof Serializable) || !v.getClass().isSynthetic()) {
            return null;
        }
        try {
            Method m = v.getClass().getDeclaredMethod("writeReplace");
            if (m.trySetAccessible() && m.invoke(v) instanceof SerializedLambda sl) {
                return sl;
            }
        } catch (ReflectiveOperationException e) {
            return null;
        }
        return null;
    }
}
