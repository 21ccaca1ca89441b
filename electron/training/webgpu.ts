import * as tf from '@tensorflow/tfjs';
import type * as Dawn from 'webgpu';

/**
 * WebGPU for the Trainer, through Dawn's Node bindings (the `webgpu` package): Metal on a Mac,
 * Direct3D 12 on Windows, Vulkan (or OpenGL ES) on Linux, with nothing to install. tfjs's own
 * WebGPU factory looks for `navigator.gpu`, which Node lacks, and asks for no compatibility
 * adapter, so the backend is registered here on the device this module makes.
 */

export interface WebGpuAdapter {
  /** The adapter as it names itself, e.g. "Apple M2" or "llvmpipe (OpenGL ES 3.2 Mesa 22.3.6)". */
  name: string;
  /** A CPU rendering GPU commands in software (Mesa's llvmpipe, SwiftShader): correct, and slower than wasm. */
  software: boolean;
}

/** Why WebGPU cannot start here, or the adapter it started on. */
export type WebGpuStart = { adapter: WebGpuAdapter; failure: null } | { adapter: null; failure: string };

/** Where to look: `any` adapter, or only a `gpu` through the platform's own API (quick to rule out where there is none). */
export type WebGpuScope = 'gpu' | 'any';

const started = new Map<WebGpuScope, Promise<WebGpuStart>>();

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software/i;

/** The limits a compatibility adapter offers beyond its device's defaults, which tfjs's kernels need. */
const LIMITS = [
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
] as const;

async function start(scope: WebGpuScope): Promise<WebGpuStart> {
  let dawn: typeof Dawn;
  try {
    dawn = await import('webgpu');
  } catch (err) {
    const message = (err as Error).message;
    return { adapter: null, failure: /Cannot find (package|module)/.test(message) ? 'not installed' : `Dawn does not load here (${message.split('\n')[0]!.slice(0, 160)})` };
  }
  // Mesa's EGL looks for a display unless told otherwise; a Trainer has none.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  // tfjs-backend-webgpu reads GPUBufferUsage, GPUMapMode and the like as globals.
  Object.assign(globalThis, dawn.globals);
  // A real GPU through the platform's own API first; else OpenGL ES, which Mesa also renders in software.
  const attempts: { options: string[]; featureLevel: 'core' | 'compatibility' }[] = [
    { options: [], featureLevel: 'core' },
    ...(scope === 'any' ? [{ options: ['backend=opengles'], featureLevel: 'compatibility' as const }] : []),
  ];
  for (const attempt of attempts) {
    const gpu = dawn.create(attempt.options);
    const adapter = await gpu.requestAdapter({ featureLevel: attempt.featureLevel, powerPreference: 'high-performance' } as GPURequestAdapterOptions);
    if (!adapter) continue;
    const limits: Record<string, number> = {};
    for (const name of LIMITS) limits[name] = adapter.limits[name];
    const device = await adapter.requestDevice({ requiredLimits: limits });
    const info = adapter.info;
    const gpuName = (info.device || info.vendor || info.architecture).replace(/-+$/, '');
    const driver = info.description.replace(/^OpenGL version /, '');
    const name = (gpuName && driver ? `${gpuName} (${driver})` : gpuName || driver) || 'an unnamed adapter';
    const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
    // tfjs reads `navigator.gpu` to decide WebGPU is there at all.
    const host = globalThis as { navigator?: Record<string, unknown> };
    if (host.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    tf.registerBackend('webgpu', () => new WebGPUBackend(device, info), 0);
    return { adapter: { name, software: SOFTWARE.test(name) }, failure: null };
  }
  return {
    adapter: null,
    failure:
      scope === 'gpu'
        ? 'no GPU adapter: Dawn found no Metal, Direct3D 12 or Vulkan GPU here'
        : 'no GPU adapter: Dawn found no Metal, Direct3D 12 or Vulkan GPU here, nor OpenGL ES (on Linux, a GPU driver or Mesa: apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)',
  };
}

/** Finds a WebGPU adapter and registers tfjs's `webgpu` backend on it, once per process and scope. */
export function startWebGpu(scope: WebGpuScope = 'any'): Promise<WebGpuStart> {
  let promise = started.get(scope);
  if (!promise) {
    promise = start(scope).catch((err: unknown) => ({ adapter: null, failure: `WebGPU did not start (${(err as Error).message.split('\n')[0]!.slice(0, 160)})` }));
    started.set(scope, promise);
  }
  return promise;
}
