import { defineConfig } from 'vite';

/** A sandboxed preload cannot load local modules, so it is bundled into one CommonJS file. */
export default defineConfig({
  build: {
    outDir: 'dist/electron',
    emptyOutDir: false,
    minify: false,
    lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
