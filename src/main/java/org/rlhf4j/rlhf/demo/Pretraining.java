package org.rlhf4j.rlhf.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rlhf4j.data.TokenStream;
import org.rlhf4j.data.tokenizer.CharTokenizer;
import org.rlhf4j.nn.Gpt;
import org.rlhf4j.nn.GptConfig;
import org.rlhf4j.tensor.Generator;
import org.rlhf4j.tensor.Tensor;
import org.rlhf4j.train.ModelCheckpoint;
import org.rlhf4j.train.StepMetrics;
import org.rlhf4j.train.TrainListener;
import org.rlhf4j.train.Trainer;
import org.rlhf4j.train.TrainingData;

/**
 * Stage 1: a character-level GPT pretrained on the corpus with the train package's {@link Trainer}
 * (90/10 train/validation split, nanoGPT's loop). The run goes to {@code <dir>/pretrain}
 * (metrics.jsonl, checkpoint/), so it can be sampled from or resumed on its own.
 */
public final class Pretraining {

    /**
     * The pretrained model and what its training logged.
     *
     * @param steps     the logged steps
     * @param trainLoss the training loss at each logged step
     * @param valSteps  the evaluated steps
     * @param valLoss   the validation loss at each evaluated step
     */
    public record Result(Gpt model, CharTokenizer tokenizer, double[] steps, double[] trainLoss, double[] valSteps,
                         double[] valLoss) {

        /** The last validation loss, NaN if never evaluated. */
        public double finalValLoss() {
            return valLoss.length == 0 ? Double.NaN : valLoss[valLoss.length - 1];
        }
    }

    private Pretraining() {
    }

    /**
     * A development switch, not a setting: {@code -Drlhf4j.demo.reusePretrain=<an earlier run's pretrain dir>}
     * loads that run's pretrained model and loss curves instead of pretraining again, so the later stages
     * can be iterated on in minutes. The caller must pass the same pretraining settings and seed that
     * produced it (nothing checks that); the stage's seconds then measure only the load.
     */
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String REUSE_PROPERTY = "rlhf4j.demo.reusePretrain";

    public static Result run(DemoConfig cfg, String text, Path dir, DemoListener listener) throws IOException {
        CharTokenizer tokenizer = CharTokenizer.fromCorpus(text);
        String reuse = System.getProperty(REUSE_PROPERTY);
        if (reuse != null && !reuse.isBlank()) {
            return reuse(Path.of(reuse), tokenizer);
        }
        TokenStream.Split split = TokenStream.encode(tokenizer, text).split();
        GptConfig config = cfg.pretrain().model().withVocabSize(tokenizer.vocabSize());
        Gpt model = new Gpt(config, new Generator(cfg.pretrain().train().seed()));
        List<double[]> logged = new ArrayList<>(), evaluated = new ArrayList<>();
        TrainListener collect = new TrainListener() {
            @Override
            public void step(StepMetrics m) {
                if (m.logged()) {
                    logged.add(new double[] {m.step(), m.trainLoss()});
                }
                if (m.evaluated()) {
                    evaluated.add(new double[] {m.step(), m.valLoss()});
                }
                listener.pretrainStep(m);
            }
        };
        Trainer.start(model, tokenizer, cfg.pretrain().train(), TrainingData.blocks(split), dir, collect).run();
        model.eval();
        return new Result(model, tokenizer, column(logged, 0), column(logged, 1), column(evaluated, 0),
                column(evaluated, 1));
    }

    private static Result reuse(Path from, CharTokenizer tokenizer) throws IOException {
        Gpt model = ModelCheckpoint.load(from).model();
        List<double[]> logged = new ArrayList<>(), evaluated = new ArrayList<>();
        for (String line : Files.readAllLines(from.resolve("metrics.jsonl"))) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode row = JSON.readTree(line);
            if (row.hasNonNull("train_loss")) {
                logged.add(new double[] {row.get("step").asDouble(), row.get("train_loss").asDouble()});
            }
            if (row.hasNonNull("val_loss")) {
                evaluated.add(new double[] {row.get("step").asDouble(), row.get("val_loss").asDouble()});
            }
        }
        return new Result(model, tokenizer, column(logged, 0), column(logged, 1), column(evaluated, 0),
                column(evaluated, 1));
    }

    static double[] column(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }

    /** A copy of {@code model}: same config and weights, its own parameters. */
    public static Gpt copy(Gpt model, GptConfig config) {
        Gpt c = new Gpt(config, new Generator(0));
        Map<String, Tensor> from = model.namedParameters();
        c.namedParameters().forEach((name, p) -> {
            Tensor src = from.get(name);
            System.arraycopy(src.data(), src.offset(), p.data(), p.offset(), p.size());
        });
        return c.eval();
    }
}
