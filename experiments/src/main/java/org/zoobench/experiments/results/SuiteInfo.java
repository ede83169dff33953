package org.zoobench.experiments.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which suite wrote a results directory, with which recipe and the notes printed with it, so `zoobench report`
 * can rebuild its table and report.html; notes is null in folders written before they were kept. {@code sessions}
 * lists each invocation that trained runs, with the duration estimated beforehand and the time it took (null in
 * folders written before they were kept).
 */
public record SuiteInfo(String suite, boolean quick, String recipe, List<String> notes, List<Session> sessions) {

    /**
     * One invocation of a suite: when it started, how many runs it had left, the duration printed up front and the
     * time it took (null while it is still running or when it was killed).
     */
    public record Session(String startedAt, int runs, double estimatedSeconds, Double actualSeconds) {

        /** How far the estimate was off, as a fraction of the actual time (+0.2: 20% too long); NaN if unfinished. */
        public double estimateError() {
            return actualSeconds == null ? Double.NaN : estimatedSeconds / actualSeconds - 1;
        }

        public String describeError() {
            return String.format(Locale.ROOT, "%.0f%% %s", Math.abs(100 * estimateError()),
                    estimateError() >= 0 ? "over" : "under");
        }
    }

    /** This suite's earlier sessions in a directory's info, or none if it was written by another suite or recipe. */
    public static List<Session> earlierSessions(java.util.Optional<SuiteInfo> existing, String suite, boolean quick) {
        return existing.filter(info -> info.suite().equals(suite) && info.quick() == quick && info.sessions() != null)
                .map(SuiteInfo::sessions).orElse(List.of());
    }

    /** The same info with {@code session} as its last session, replacing an unfinished one that started alike. */
    public SuiteInfo withSession(Session session) {
        List<Session> all = new ArrayList<>(sessions == null ? List.of() : sessions);
        all.removeIf(s -> s.startedAt().equals(session.startedAt()));
        all.add(session);
        return new SuiteInfo(suite, quick, recipe, notes, List.copyOf(all));
    }
}
