package org.zoobench.cli;

import org.zoobench.experiments.data.TorchvisionPreprocessing;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.suites.SuiteOptions.Scale;
import org.zoobench.UserInputException;
import org.zoobench.layers.LayerImpl;
import org.zoobench.parallel.WorkerMode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * picocli converters for the options that take one of a closed set of values: each gives the type's own one-line
 * error, which picocli prefixes with the option, so the line names the option, the value and the choices.
 */
final class Converters {

    private Converters() {
    }

    /** A converter by the type's own parser, whose UserInputException becomes picocli's conversion error. */
    private abstract static class Parsing<T> implements ITypeConverter<T> {
        private final Function<String, T> parse;

        Parsing(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T convert(String value) {
            try {
                return parse.apply(value);
            } catch (UserInputException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PreprocessConverter extends Parsing<TorchvisionPreprocessing> {
        PreprocessConverter() {
            super(TorchvisionPreprocessing::parse);
        }
    }

    static final class ScaleConverter extends Parsing<Scale> {
        ScaleConverter() {
            super(Scale::parse);
        }
    }

    static final class UpdaterConverter extends Parsing<Updater> {
        UpdaterConverter() {
            super(Updater::parse);
        }
    }

    static final class ResizeConverter extends Parsing<ResizeMode> {
        ResizeConverter() {
            super(ResizeMode::parse);
        }
    }

    static final class ScheduleConverter extends Parsing<LrSchedule> {
        ScheduleConverter() {
            super(LrSchedule::parse);
        }
    }

    static final class LayerImplConverter extends Parsing<LayerImpl> {
        LayerImplConverter() {
            super(LayerImpl::parse);
        }
    }

    static final class WorkerModeConverter extends Parsing<WorkerMode> {
        WorkerModeConverter() {
            super(WorkerMode::parse);
        }
    }

    /** A sitting's length: hours, minutes and seconds as in 2h30m, 90m or 45s. */
    static final class SittingConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration length;
            try {
                length = Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a length of time: write it as 2h30m, "
                        + "90m or 45s");
            }
            if (length.isNegative() || length.isZero()) {
                throw new TypeConversionException("'" + value + "' is no time at all: a sitting needs a positive "
                        + "length such as 2h30m");
            }
            return length;
        }
    }
}
