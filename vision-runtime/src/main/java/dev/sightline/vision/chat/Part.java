package dev.sightline.vision.chat;

/** One piece of a chat turn: text, an image or a video, in the order the user wrote them. */
public sealed interface Part permits TextPart, ImagePart, VideoPart {

}
