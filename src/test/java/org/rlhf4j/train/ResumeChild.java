package org.rlhf4j.train;

import java.nio.file.Path;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.tensor.Generator;

/**
 * A child JVM of {@link ResumeInFreshJvmTest}: {@code start <dir> <stop> <maxIters>} trains
 * {@link TrainerTest}'s tiny setup from scratch until {@code stop} steps (and checkpoints);
 * {@code resume <dir>} loads {@code <dir>/checkpoint} into fresh objects and trains to the end.
 */
public final class ResumeChild {

    private ResumeChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        if (args[0].equals("start")) {
            TrainConfig cfg = TrainerTest.config(Integer.parseInt(args[3]));
            Trainer.start(new Gpt(TrainerTest.model(), new Generator(cfg.seed())), TrainerTest.TOKENIZER, cfg,
                    TrainerTest.data(), dir, TrainListener.NONE).runUntil(Integer.parseInt(args[2]));
        } else {
            Trainer.resume(ModelCheckpoint.load(dir), TrainerTest.data(), dir, TrainListener.NONE).run();
        }
    }
}
