/** Camera pose stage: BlazePose tracker, mapping to the 23-joint layout, normalizer, One-Euro filter, 25 fps resampler. */
export * from './types';
export { createPoseTracker, fillPoseTrackerOptions, DEFAULT_POSE_TRACKER_OPTIONS, SCORE_LANDMARKS } from './tracker';
export { mapBlazePoseTo23, BP, HEAD_SPREAD, PELVIS_LIFT } from './mapping';
export { createPoseNormalizer, fillPoseNormalizerOptions, DEFAULT_POSE_NORMALIZER_OPTIONS } from './normalizer';
export { createOneEuroFilter, fillOneEuroOptions, oneEuroAlpha, DEFAULT_ONE_EURO_OPTIONS } from './one-euro';
export { createFrameRateResampler, fillFrameRateResamplerOptions, DEFAULT_FRAME_RATE_RESAMPLER_OPTIONS } from './resampler';
