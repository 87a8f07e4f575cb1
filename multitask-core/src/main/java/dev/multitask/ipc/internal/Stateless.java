package dev.multitask.ipc.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Recognises stateless lambdas and method references (a lambda class with no instance
 * fields: nothing captured). Such an object behaves the same whichever instance runs, so its
 * serialized form can be computed once per class, and a worker may reuse the instance it
 * deserialized for the same bytes. Anything else is serialized afresh every time.
 */
public final class Stateless {
    private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> c) {
            if (!c.isSynthetic() || !c.isHidden() || !c.getName().contains("$$Lambda")) {
                return false;
            }
            for (Field f : c.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    return false;
                }
            }
            return true;
        }
    };

    private Stateless() {
    }

    public static boolean is(Object o) {
        return o != null && STATELESS.get(o.getClass());
    }
}
