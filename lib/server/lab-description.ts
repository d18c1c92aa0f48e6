// The lab's DESCRIBE answer: a human-readable block (lab report §10.3), extended with frames, size and rate.
import type { ServedMovie } from "./movie-library.ts";
import type { StreamSession } from "./stream-session.ts";

export function labDescription(movie: ServedMovie, version: string, fps: number, session?: StreamSession): string {
  const info = movie.movie.info();
  const lines = [
    "DESCRIPTION",
    `The video file : ${movie.name}`,
    `Video size = ${(info.bytes / (1024 * 1024)).toFixed(2)} MB`,
    "Transport protocol :RTP",
    `Version : ${version.replace(/^RTSP\//, "")}`,
  ];
  if (session?.clientRtpPort !== undefined) lines.push(`RTP port :${session.clientRtpPort}`);
  if (session) lines.push(`StreamID =${session.id}`);
  lines.push(
    'Type of the video : "video/Mjpeg"',
    `Frames : ${info.frameCount}`,
    `Frame size : ${info.width}x${info.height}`,
    `Frame rate : ${fps} fps`,
  );
  return `${lines.join("\n")}\n`;
}
