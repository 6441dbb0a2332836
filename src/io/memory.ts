/**
 * A full garbage collection, asked for where a step has just let go of large arrays and the next step
 * would otherwise pile its own allocations onto them: V8 frees an old ArrayBuffer only in a full
 * collection, which it starts when its heap has grown, not when memory outside the heap was let go. At
 * ten million orders this is where `ca compute` reached its peak (the input's order columns, about
 * 500 MB, waiting while the models started). The flag is set at run time and `gc` read from a new
 * context, as Jest does for --logHeapUsage; a collection costs a few hundred milliseconds at that size,
 * most of which V8 would spend soon after anyway.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
    setFlagsFromString('--no-expose-gc');
  }
  gc();
}
