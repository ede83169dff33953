package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_add;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_binary;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_sum;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_impl_info_str;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * oneDNN called directly (JavaCPP's {@code dnnl} presets) for float32 on the CPU backend. libnd4j's own oneDNN
 * ops build their primitives on every call and pick kernels such as Winograd for the backward pass; here each
 * layer builds its primitives once per input shape and lets oneDNN choose the blocked layouts its fastest kernels
 * want, reordering from and to DL4J's plain layouts around them (docs/fast-layers.md).
 */
final class OneDnn {

    private static final Logger log = LoggerFactory.getLogger(OneDnn.class);
    private static final boolean AVAILABLE = load();
    private static dnnl_engine engine;
    private static final ThreadLocal<dnnl_stream> STREAM = ThreadLocal.withInitial(OneDnn::newStream);
    /** Each thread's reusable buffers for blocked copies: a layer's call needs a few at once, never two calls. */
    private static final ThreadLocal<List<BytePointer>> SCRATCH = ThreadLocal.withInitial(ArrayList::new);
    private static final int ALIGNMENT = 64;
    /** The execution argument of a primitive's first post-op's operand ({@link Natives#primitiveDesc}). */
    static final int POST_OP_OPERAND = DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE | DNNL_ARG_SRC_1;

    private OneDnn() {
    }

    private static boolean load() {
        try {
            if (!Nd4j.getEnvironment().isCPU()) {
                return false;
            }
            PointerPointer<?> out = new PointerPointer<>(1);
            check(dnnl_engine_create(out, dnnl_cpu, 0), "engine");
            engine = new dnnl_engine(out.get(0));
            return true;
        } catch (Throwable e) {
            log.warn("oneDNN could not be loaded ({}); fast convolutions use libnd4j's conv2d op", e.toString());
            return false;
        }
    }

    /** Whether oneDNN computes this array type here: float32 on the CPU backend, when its library loaded. */
    static boolean handles(DataType type) {
        return AVAILABLE && type == DataType.FLOAT;
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    private static dnnl_stream newStream() {
        PointerPointer<?> out = new PointerPointer<>(1);
        check(dnnl_stream_create(out, engine, dnnl_stream_default_flags), "stream");
        return new dnnl_stream(out.get(0));
    }

    /**
     * An activation shape as oneDNN takes it, channels second (N, C, H, W or N, C), whatever the layout in memory:
     * a rank-4 NHWC shape is reordered, any other is as it is.
     */
    static long[] channelsSecond(long[] shape, CNN2DFormat format) {
        return shape.length == 4 && format == CNN2DFormat.NHWC
                ? new long[]{shape[0], shape[3], shape[1], shape[2]} : shape;
    }

    static dnnl_memory_desc_t desc(long[] dims, int tag) {
        dnnl_memory_desc_t desc = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(desc, dims.length, dims, dnnl_f32, tag), "memory descriptor");
        return desc;
    }

    /** A float tensor of these dimensions whose elements lie {@code strides} elements apart along each. */
    static dnnl_memory_desc_t strided(long[] dims, long[] strides) {
        dnnl_memory_desc_t desc = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_strides(desc, dims.length, dims, dnnl_f32, strides), "memory descriptor");
        return desc;
    }

    /** The name of the implementation oneDNN chose for a primitive, such as {@code jit:uni} or {@code ref:any}. */
    static String implementation(dnnl_primitive_desc desc) {
        PointerPointer<BytePointer> name = new PointerPointer<>(1);
        check(dnnl_primitive_desc_query(desc, dnnl_query_impl_info_str, 0, name), "implementation query");
        return name.get(BytePointer.class, 0).getString();
    }

    static boolean same(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
        return dnnl_memory_desc_equal(a, b) == 1;
    }

    /**
     * Native objects a layer builds once and frees together when the layer goes: primitives, their descriptors and
     * memory objects (whose buffers are set per call).
     */
    static final class Natives implements Runnable {
        /** One thread frees every layer's natives: each Cleaner runs its own. */
        private static final Cleaner CLEANER = Cleaner.create();

        private final List<dnnl_primitive> primitives = new ArrayList<>();
        private final List<dnnl_primitive_desc> descs = new ArrayList<>();
        private final List<dnnl_memory> memories = new ArrayList<>();
        private final List<Pointer> buffers = new ArrayList<>();

        /** Frees these natives once {@code owner}, the Java object that uses them, is unreachable. */
        void freeWith(Object owner) {
            CLEANER.register(owner, this);
        }

        /** A buffer the primitives keep using between calls, freed with them. */
        void keep(Pointer buffer) {
            buffers.add(buffer);
        }

        dnnl_primitive_desc primitiveDesc(Pointer opDesc, dnnl_primitive_desc forwardHint) {
            return primitiveDesc(opDesc, false, forwardHint);
        }

        /** A primitive descriptor; with {@code reluAfter}, the primitive applies a ReLU to what it writes. */
        dnnl_primitive_desc primitiveDesc(Pointer opDesc, boolean reluAfter, dnnl_primitive_desc forwardHint) {
            return primitiveDesc(opDesc, null, reluAfter, forwardHint);
        }

        /**
         * A primitive descriptor whose primitive, where {@code addedAfter} is not null, adds a tensor of that layout
         * to what it computes (broadcast where its dimensions are 1; its buffer is the argument
         * {@link #POST_OP_OPERAND}) and then, with {@code reluAfter}, applies a ReLU as it writes.
         */
        dnnl_primitive_desc primitiveDesc(Pointer opDesc, dnnl_memory_desc_t addedAfter, boolean reluAfter,
                                          dnnl_primitive_desc forwardHint) {
            dnnl_primitive_attr attr = null;
            dnnl_post_ops postOps = null;
            if (addedAfter != null || reluAfter) {
                PointerPointer<?> created = new PointerPointer<>(1);
                check(dnnl_post_ops_create(created), "post-ops");
                postOps = new dnnl_post_ops(created.get(0));
                if (addedAfter != null) {
                    check(dnnl_post_ops_append_binary(postOps, dnnl_binary_add, addedAfter), "addition post-op");
                }
                if (reluAfter) {
                    check(dnnl_post_ops_append_eltwise(postOps, 1f, dnnl_eltwise_relu, 0f, 0f), "ReLU post-op");
                }
                check(dnnl_primitive_attr_create(created), "primitive attributes");
                attr = new dnnl_primitive_attr(created.get(0));
                check(dnnl_primitive_attr_set_post_ops(attr, postOps), "set post-ops");
            }
            try {
                PointerPointer<?> out = new PointerPointer<>(1);
                check(dnnl_primitive_desc_create(out, new const_dnnl_op_desc_t(opDesc), attr, engine, forwardHint),
                        "primitive descriptor");
                dnnl_primitive_desc desc = new dnnl_primitive_desc(out.get(0));
                descs.add(desc);
                return desc;
            } finally {
                if (attr != null) { // the descriptor keeps its own copy of both
                    dnnl_primitive_attr_destroy(attr);
                    dnnl_post_ops_destroy(postOps);
                }
            }
        }

        dnnl_primitive primitive(dnnl_primitive_desc desc) {
            PointerPointer<?> out = new PointerPointer<>(1);
            check(dnnl_primitive_create(out, desc), "primitive");
            dnnl_primitive primitive = new dnnl_primitive(out.get(0));
            primitives.add(primitive);
            return primitive;
        }

        /** A memory object of this layout with no buffer yet. */
        dnnl_memory memory(dnnl_memory_desc_t desc) {
            PointerPointer<?> out = new PointerPointer<>(1);
            check(dnnl_memory_create(out, desc, engine, null), "memory");
            dnnl_memory memory = new dnnl_memory(out.get(0));
            memories.add(memory);
            return memory;
        }

        /** A memory object of this layout over {@code buffer}, which is kept until these natives are freed. */
        dnnl_memory memory(dnnl_memory_desc_t desc, Pointer buffer) {
            dnnl_memory memory = memory(desc);
            keep(buffer);
            check(dnnl_memory_set_data_handle(memory, buffer), "set buffer");
            return memory;
        }

        /** A memory object of this layout with a buffer of its own, kept until these natives are freed. */
        dnnl_memory ownedMemory(dnnl_memory_desc_t desc) {
            dnnl_memory memory = memory(desc);
            BytePointer buffer = new BytePointer(dnnl_memory_desc_get_size(desc) + ALIGNMENT);
            keep(buffer);
            check(dnnl_memory_set_data_handle(memory, aligned(buffer)), "set buffer");
            return memory;
        }

        /** A reorder between two layouts of the same tensor. */
        dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
            PointerPointer<?> out = new PointerPointer<>(1);
            check(dnnl_reorder_primitive_desc_create(out, from, engine, to, engine, null), "reorder descriptor");
            dnnl_primitive_desc desc = new dnnl_primitive_desc(out.get(0));
            descs.add(desc);
            return primitive(desc);
        }

        /** A reorder that adds what it reorders to what its destination holds: to += from, in to's layout. */
        dnnl_primitive summingReorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
            PointerPointer<?> created = new PointerPointer<>(1);
            check(dnnl_post_ops_create(created), "post-ops");
            dnnl_post_ops postOps = new dnnl_post_ops(created.get(0));
            check(dnnl_primitive_attr_create(created), "primitive attributes");
            dnnl_primitive_attr attr = new dnnl_primitive_attr(created.get(0));
            try {
                check(dnnl_post_ops_append_sum(postOps, 1f), "sum post-op");
                check(dnnl_primitive_attr_set_post_ops(attr, postOps), "set post-ops");
                PointerPointer<?> out = new PointerPointer<>(1);
                check(dnnl_reorder_primitive_desc_create(out, from, engine, to, engine, attr),
                        "summing reorder descriptor");
                dnnl_primitive_desc desc = new dnnl_primitive_desc(out.get(0));
                descs.add(desc);
                return primitive(desc);
            } finally { // the descriptor keeps its own copy of both
                dnnl_primitive_attr_destroy(attr);
                dnnl_post_ops_destroy(postOps);
            }
        }

        @Override
        public void run() {
            primitives.forEach(p -> dnnl_primitive_destroy(p));
            descs.forEach(d -> dnnl_primitive_desc_destroy(d));
            memories.forEach(m -> dnnl_memory_destroy(m));
            buffers.forEach(Pointer::deallocate);
        }
    }

    /** Points {@code memory} at the values of {@code array}, a float array whose values are one C-ordered block. */
    static void bind(dnnl_memory memory, INDArray array) {
        check(dnnl_memory_set_data_handle(memory, array.data().addressPointer()), "set buffer");
    }

    /** Points {@code memory} at this thread's scratch buffer number {@code slot}, grown to its layout's size. */
    static void bindScratch(dnnl_memory memory, dnnl_memory_desc_t desc, int slot) {
        List<BytePointer> buffers = SCRATCH.get();
        while (buffers.size() <= slot) {
            buffers.add(null);
        }
        long bytes = dnnl_memory_desc_get_size(desc);
        BytePointer buffer = buffers.get(slot);
        if (buffer == null || buffer.capacity() < bytes + ALIGNMENT) {
            if (buffer != null) {
                buffer.deallocate();
            }
            buffer = new BytePointer(bytes + ALIGNMENT);
            buffers.set(slot, buffer);
        }
        check(dnnl_memory_set_data_handle(memory, aligned(buffer)), "set buffer");
    }

    /** {@code buffer} from its first address on an {@link #ALIGNMENT} boundary (it has that much to spare). */
    private static BytePointer aligned(BytePointer buffer) {
        long misalignment = buffer.address() % ALIGNMENT;
        return new BytePointer(buffer).position(misalignment == 0 ? 0 : ALIGNMENT - misalignment);
    }

    /** Runs {@code primitive} on this thread's stream; {@code args} alternates argument kinds and memories. */
    static void execute(dnnl_primitive primitive, Object... args) {
        int count = args.length / 2;
        dnnl_exec_arg_t execArgs = new dnnl_exec_arg_t(count);
        for (int i = 0; i < count; i++) {
            execArgs.position(i).arg((Integer) args[2 * i]).memory((dnnl_memory) args[2 * i + 1]);
        }
        execArgs.position(0);
        check(dnnl_primitive_execute(primitive, STREAM.get(), count, execArgs), "execute");
        execArgs.deallocate();
    }

    static void reorder(dnnl_primitive reorder, dnnl_memory from, dnnl_memory to) {
        execute(reorder, DNNL_ARG_FROM, from, DNNL_ARG_TO, to);
    }
}
