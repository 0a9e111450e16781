/**
 * Entry script of the child process that trains retraining candidates (the
 * in-process queue's default: the API never blocks on training). Started by
 * `ChildProcessTrainer` with `fork`; answers one request and exits.
 */
import { serveTrainChild } from '../learning/index.js';

serveTrainChild();
