package dev.multitask.process.internal;

import java.util.List;

/**
 * How to start a worker JVM: extra JVM options, and the serializer class ("" for the
 * default). Workers of equal specs are interchangeable, which is what lets a warm spare
 * serve any pool or child that asks for the default spec.
 */
public record LaunchSpec(List<String> jvmOptions, String serializerClass) {
    public static final LaunchSpec DEFAULT = new LaunchSpec(List.of(), "");

    public LaunchSpec {
        jvmOptions = List.copyOf(jvmOptions);
    }
}
