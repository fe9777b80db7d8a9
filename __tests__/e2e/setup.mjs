// @ts-check
// Installs what the lab needs (apt packages, test users) before any end-to-end test runs.
import { prepareMachine } from '../../lab/lab.mjs'

export default function setup() {
  prepareMachine()
}
