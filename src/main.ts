import { runMain } from './up.js'

void runMain()
