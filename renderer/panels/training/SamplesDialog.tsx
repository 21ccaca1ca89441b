import { Dialog } from '../Dialog';
import { ImageGrid } from './ImageGrid';
import type { Samples } from '../../../shared/api/contract';

interface Props {
  samples: Exclude<Samples, { kind: 'text' }>;
  epoch: number;
  onClose(): void;
}

/** Every sample of one epoch, as large as the screen allows: for the back row of a room. */
export function SamplesDialog({ samples, epoch, onClose }: Props) {
  // What is left of the window under the dialog's title, shared by the grids shown.
  const room = window.innerHeight * 0.8 - 80;
  const title = samples.kind === 'images' ? `Generated images, epoch ${epoch}` : `Reconstructions, epoch ${epoch}`;
  return (
    <Dialog title={title} onClose={onClose} className="samples-dialog">
        {samples.kind === 'images' ? (
          <ImageGrid batch={samples.images} label={title} maxScale={6} maxHeight={room} />
        ) : (
          <>
            <h3>Originals</h3>
            <ImageGrid batch={samples.originals} columns={Math.min(8, samples.originals.count)} label="Original test images" maxScale={5} maxHeight={room / 2 - 30} />
            <h3>Rebuilt by the network</h3>
            <ImageGrid batch={samples.reconstructions} columns={Math.min(8, samples.reconstructions.count)} label={title} maxScale={5} maxHeight={room / 2 - 30} />
          </>
        )}
    </Dialog>
  );
}
