import type { ApiResult, MethodName, ParamsOf, ResultOf, WindowEvent } from '../../shared/api/contract';

export class ApiRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

/** A way to reach the Backend: Electron IPC or a WebSocket. */
export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  request(method: MethodName, params: unknown): Promise<ApiResult<unknown>>;
  onEvent(listener: (event: WindowEvent) => void): () => void;
}

/** The renderer's typed view of the Backend, the same whichever transport carries it. */
export class ApiClient {
  constructor(private readonly transport: Transport) {}

  get kind(): Transport['kind'] {
    return this.transport.kind;
  }

  async request<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const result = await this.transport.request(method, params);
    if (!result.ok) throw new ApiRequestError(result.error.code, result.error.message);
    return result.value as ResultOf<M>;
  }

  onEvent(listener: (event: WindowEvent) => void): () => void {
    return this.transport.onEvent(listener);
  }
}
