/** Types of saga-graph.js (the page loads the .js as it is; tests and editors read these). */

export interface AslState {
  Type?: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: Array<{ Next?: string; [key: string]: unknown }>;
  Catch?: Array<{ ErrorEquals?: string[]; Next?: string; [key: string]: unknown }>;
  Comment?: string;
  [key: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  [key: string]: unknown;
}

export interface StateVisit {
  name: string;
  type: string;
  enteredAt: string;
  exitedAt?: string;
  durationMs?: number;
  input: unknown;
  output?: unknown;
  attempts: Array<{ attempt: number; function?: string; durationMs: number; error?: { error: string; cause: string }; [key: string]: unknown }>;
  retries: Array<{ attempt: number; error: string }>;
  error?: { error: string; cause: string };
  caught?: { errorEquals: string[]; next: string };
}

export interface ExecutionHistory {
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: string;
  stopDate?: string;
  durationMs?: number;
  states: StateVisit[];
  [key: string]: unknown;
}

export type NodeStatus = 'succeeded' | 'caught' | 'compensated' | 'running' | 'retrying' | 'failed' | 'aborted' | 'notVisited';
export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface StateStatus {
  name: string;
  status: NodeStatus;
  compensation: boolean;
  visits: StateVisit[];
  durationMs?: number;
  retries: number;
  attempts: number;
  error?: { error: string; cause: string };
  caught?: { errorEquals: string[]; next: string };
  enteredAt?: string;
  exitedAt?: string;
  input?: unknown;
  output?: unknown;
}

export interface GraphNode {
  id: string;
  type: string;
  comment?: string;
  layer: number;
  order: number;
  x: number;
  y: number;
  width: number;
  height: number;
  start: boolean;
  end: boolean;
  compensation: boolean;
  status: NodeStatus;
  durationMs?: number;
  retries: number;
  attempts: number;
  error?: { error: string; cause: string };
  caught?: { errorEquals: string[]; next: string };
  visits: StateVisit[];
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  label: string;
  back: boolean;
  taken: boolean;
  points: Array<{ x: number; y: number }>;
  path: string;
}

export interface SagaLayout {
  nodes: GraphNode[];
  edges: GraphEdge[];
  layers: string[][];
  width: number;
  height: number;
  problems: string[];
}

export const NODE_WIDTH: number;
export const NODE_HEIGHT: number;
export const LAYER_GAP: number;
export const NODE_GAP: number;
export const VIRTUAL_WIDTH: number;
export const MARGIN: number;

export function transitionsOf(state: AslState | undefined): Array<{ to: string; kind: EdgeKind; label: string }>;
export function compensationStates(definition: AslDefinition): Set<string>;
export function stateStatuses(definition: AslDefinition, history?: ExecutionHistory, now?: number): Map<string, StateStatus>;
export function isFinal(history: ExecutionHistory | undefined): boolean;
export function layoutSaga(definition: AslDefinition, history?: ExecutionHistory, options?: { now?: number }): SagaLayout;
export function crossings(rows: Array<Array<{ down: Array<{ item: unknown }> }>>): number;
export function fitInOrder(desired: number[], weights: number[], gaps: number[]): number[];
export function executionSummary(history: ExecutionHistory | undefined, now?: number): { status: string; durationMs?: number; visited: number; retries: number };
