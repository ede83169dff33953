package org.zoobench.experiments.results;

import com.fasterxml.jackson.databind.util.StdConverter;
import org.zoobench.layers.LayerImpl;
import org.zoobench.parallel.WorkerMode;

import java.util.function.Function;

/**
 * The zoo's enums in record.json as records have always held them: by their lower-case ids ("fast",
 * "shared-gradients"). The zoo itself knows nothing of JSON.
 */
final class ZooIdJson {

    private ZooIdJson() {
    }

    private abstract static class Parsed<T> extends StdConverter<String, T> {
        private final Function<String, T> parse;

        Parsed(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String id) {
            return parse.apply(id);
        }
    }

    static final class LayerImplId extends StdConverter<LayerImpl, String> {
        @Override
        public String convert(LayerImpl impl) {
            return impl.id();
        }
    }

    static final class ParsedLayerImpl extends Parsed<LayerImpl> {
        ParsedLayerImpl() {
            super(LayerImpl::parse);
        }
    }

    static final class WorkerModeId extends StdConverter<WorkerMode, String> {
        @Override
        public String convert(WorkerMode mode) {
            return mode.id();
        }
    }

    static final class ParsedWorkerMode extends Parsed<WorkerMode> {
        ParsedWorkerMode() {
            super(WorkerMode::parse);
        }
    }
}
