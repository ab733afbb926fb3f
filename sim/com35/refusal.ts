/** A command the simulated registrar refuses: its §8.4 code and the `value` naming what is wrong. */
export class Refusal {
  constructor(
    readonly code: number,
    readonly value: string,
  ) {}
}
