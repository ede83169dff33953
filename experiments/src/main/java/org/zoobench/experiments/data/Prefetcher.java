package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs another iterator on a background thread, up to {@code capacity} batches ahead. Unlike DL4J's
 * AsyncDataSetIterator, a failure while producing a batch is rethrown to the consumer as it was (so a
 * {@code UserInputException} stays one), and never mistaken for the end of the data.
 */
final class Prefetcher extends ForwardingBatches {

    private static final Object END = new Object();

    private record Failure(Throwable error) {
    }

    private final int capacity;
    private BlockingQueue<Object> queue;
    private Thread thread;
    private Object pending;

    Prefetcher(DataSetIterator source, int capacity) {
        super(source, DataPipeline.PREPARED);
        this.capacity = capacity;
        start();
    }

    private void start() {
        BlockingQueue<Object> out = new ArrayBlockingQueue<>(capacity);
        queue = out;
        thread = new Thread(() -> {
            try {
                try {
                    while (source.hasNext()) {
                        out.put(source.next());
                    }
                    out.put(END);
                } catch (RuntimeException | Error e) {
                    out.put(new Failure(e));
                }
            } catch (InterruptedException stopped) {
                // reset() or close(): the consumer no longer wants this pass
            }
        }, "zoobench-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the producer thread and drops what it prepared. */
    void stop() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        queue.clear();
        pending = null;
    }

    @Override
    public boolean hasNext() {
        if (pending == null) {
            if (thread == null) {
                return false;
            }
            try {
                pending = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
        }
        if (pending instanceof Failure failure) {
            if (failure.error() instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure.error();
        }
        return pending != END;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DataSet batch = (DataSet) pending;
        pending = null;
        return batch;
    }

    @Override
    public void reset() {
        stop();
        source.reset();
        start();
    }
}
