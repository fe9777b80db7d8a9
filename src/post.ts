import { runPost } from './down.js'

void runPost()
