import type { StepState } from './bindings/ipc';

/** The catalogue key for a step's state badge. */
export function stateKey(state: StepState): string {
  switch (state.state) {
    case 'done':
      return state.verified ? 'steps.state.done_verified' : 'steps.state.done_unverified';
    default:
      return `steps.state.${state.state}`;
  }
}
