package org.zoobench.experiments.runner;

import org.zoobench.experiments.results.RunConfig;

import java.io.Serializable;

/**
 * One run to do: its config, the suite and group (e.g. the ablation variant) it belongs to, and the trainable
 * parameter count of the same architecture at its published config (0 where that is not meaningful).
 * Serializable, as is all it holds: it travels from a Spark driver to the executor that trains it.
 */
public record RunSpec(String suite, String group, RunConfig config, long publishedParamCount) implements Serializable {

    public static RunSpec single(RunConfig config) {
        return new RunSpec("train", config.model(), config, 0);
    }

    public RunSpec withConfig(RunConfig c) {
        return new RunSpec(suite, group, c, publishedParamCount);
    }

    public String runId() {
        return config.runId();
    }
}
