/** Every benchmark `npm run bench` runs, in order. */
import { catalog } from "./catalog.bench";
import { chat } from "./chat.bench";
import { chatBedrock } from "./chat-bedrock.bench";
import { coldStart } from "./cold-start.bench";
import type { Benchmark } from "./harness";
import { formatting } from "./money.bench";
import { registry } from "./registry.bench";
import { saga } from "./saga.bench";
import { transfer } from "./transfer.bench";
import { validation } from "./validation.bench";
import { voice } from "./voice.bench";

export const benchmarks: Benchmark[] = [validation, registry, formatting, transfer, saga, chat, chatBedrock, voice, catalog, coldStart];
