package org.zoobench.experiments.runner;

import org.zoobench.experiments.results.RunConfig;

/**
 * One run to do: its config, the suite and group (e.g. the ablation variant) it belongs to, and the trainable
 * parameter count of the same architecture at its published config (0 where that is not meaningful).
 */
public record RunSpec(String suite, String group, RunConfig config, long imagenetParamCount) {

    public static RunSpec single(RunConfig config) {
        return new RunSpec("train", config.model(), config, 0);
    }

    public RunSpec withConfig(RunConfig c) {
        return new RunSpec(suite, group, c, imagenetParamCount);
    }

    public String runId() {
        return config.runId();
    }
}
