// A stand-in for a training process, for the crash tests:
//   node --import tsx child-writer.ts DB_FILE write NAME  -> logs points forever, reporting commits
//   node --import tsx child-writer.ts DB_FILE lock        -> holds the database's write lock
// Reports on stdout, one JSON object a line: {"run":ID,"pid":PID}, then {"flushed":STEP} after
// every commit (a line read means that commit is durable), or {"locked":true}.
import Database from 'better-sqlite3';
import { openStore } from '../../../src-main/store/index.ts';

const [file, mode, name] = process.argv.slice(2);
const say = (msg: object) => process.stdout.write(JSON.stringify(msg) + '\n');

if (mode === 'lock') {
  const db = new Database(file);
  db.prepare('BEGIN IMMEDIATE').run();
  say({ locked: true });
  // Hold it until killed (the closure keeps `db` from being collected, which would close it).
  setInterval(() => db.inTransaction, 1000);
} else {
  let runId = -1;
  const store = openStore(file, {
    writer: {
      flushIntervalMs: 20,
      onFlush: (s) => {
        const step = s.lastStep.get(runId);
        if (step !== undefined) say({ flushed: step });
      },
    },
  });
  runId = store.createRun({
    name,
    config: {
      model: { kind: 'mlp', hidden: [8], activation: 'relu' },
      optimizer: { name: 'adam', hyperparams: { lr: 0.001 } },
      data: { source: 'digits' },
      training: { batchSize: 32, seed: 1 },
    },
  });
  store.startRun(runId);
  say({ run: runId, pid: process.pid });
  let step = 0;
  for (;;) {
    for (let i = 0; i < 10; i++, step++) {
      store.log(runId, { step, epoch: Math.floor(step / 45), wallTime: step * 1e-3 }, { train_loss: 1 / (step + 1), lr: 0.001 });
      if (step % 50 === 0) {
        store.logSnapshot(runId, { step, layer: 'layers.0.weight', kind: 'effective_lr', shape: [2], data: new Float32Array([step, -step]) });
      }
    }
    await new Promise((r) => setTimeout(r, 1));
  }
}
