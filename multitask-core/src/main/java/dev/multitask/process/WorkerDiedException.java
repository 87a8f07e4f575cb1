package dev.multitask.process;

/**
 * The worker process running a task died before answering: it called {@code System.exit},
 * halted, ran out of memory, crashed, or was killed from outside. The pool has already
 * started a replacement; the task itself is not retried.
 */
public class WorkerDiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitStatus;

    public WorkerDiedException(long pid, int exitStatus, String detail) {
        super("worker process " + pid + " died " + describe(exitStatus) + (detail == null ? "" : ": " + detail));
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    static String describe(int status) {
        if (status < 0) {
            return "(exit status unknown)";
        }
        if (status > 128 && status <= 128 + 64) {
            int sig = status - 128;
            String name = switch (sig) {
                case 9 -> "SIGKILL";
                case 15 -> "SIGTERM";
                case 6 -> "SIGABRT";
                case 11 -> "SIGSEGV";
                case 2 -> "SIGINT";
                default -> "signal " + sig;
            };
            return "with exit status " + status + " (killed by " + name + ")";
        }
        return "with exit status " + status;
    }

    /** The process id of the worker that died. */
    public long pid() {
        return pid;
    }

    /**
     * Its exit status as a shell shows it: the value passed to {@code System.exit}, or
     * 128 + N when it was killed by signal N (137 for SIGKILL); -1 when unknown.
     */
    public int exitStatus() {
        return exitStatus;
    }
}
