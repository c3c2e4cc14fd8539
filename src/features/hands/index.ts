/**
 * Live hands stage: MediaPipe hand tracker (mediapipe runtime, app-served `@mediapipe/hands`), the 49-keypoint pianist
 * frame (BlazePose upper body + both hands through the keyboard calibration) and the keyboard calibration flow.
 */
export * from './types';
export { createHandTracker, fillHandTrackerOptions, DEFAULT_HAND_TRACKER_OPTIONS, performerSide, timeHandEstimate } from './tracker';
export {
  composePianistFrame, assignHands, fromKeyboardCalibration, fillPianistFrameOptions, DEFAULT_PIANIST_FRAME_OPTIONS, BODY_FROM_BLAZEPOSE, PIANIST_DEPTHS,
  PIANIST_BODY, PIANIST_RIGHT_HAND, PIANIST_LEFT_HAND, type PianistFrameOptions, type PianistDepth, type PoseInput, type HandAssignment,
} from './pianist-frame';
export {
  CalibrationFlow, fillCalibrationOptions, handPoint, keyboardCalibration, DEFAULT_CALIBRATION_OPTIONS, CALIBRATION_PROMPTS,
  type CalibrationOptions, type CalibrationPoints, type CalibrationStep,
} from './calibration';
